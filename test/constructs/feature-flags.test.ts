import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { Cache } from '../../constructs/cache.ts';
import { Database } from '../../constructs/database.ts';
import { addNagPacks } from '../../constructs/nag/packs.ts';
import { readValidationSummary } from '../../constructs/nag/validation-summary.ts';
import { PosterCdn } from '../../constructs/poster-cdn.ts';
import { ThreeTierNetwork } from '../../constructs/three-tier-network.ts';
import { WebTier } from '../../constructs/web-tier.ts';
import { LoadBalancerIngress } from '../../constructs/web-tier-ingress.ts';
import { committedContext, contextWithoutFeatureFlags, synthesisePlatform, type SynthesisedPlatform } from './support/cdk-app.ts';
import { normalisedResources } from './support/normalised-template.ts';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

function openFindings(assemblyDir: string): string[] {
  return readValidationSummary(assemblyDir).flatMap((summary) => summary.unacknowledged);
}

/** Every construct of the kit on its own, production and development variants, under the four packs. */
function synthesiseEachConstruct(context: Record<string, unknown>): { assemblyDir: string; template: Record<string, unknown> } {
  const assemblyDir = mkdtempSync(join(tmpdir(), 'ticketkit-flags-'));
  const app = new App({ outdir: assemblyDir, context });
  const stack = new Stack(app, 'Constructs', { env: { account: '111111111111', region: 'us-east-1' } });
  const network = new ThreeTierNetwork(stack, 'Network');
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
  new Database(stack, 'Db', { vpc: network.vpc });
  new Database(stack, 'DevDb', { vpc: network.vpc, production: false, readReplicas: 1, proxy: true });
  new Cache(stack, 'Cache', { vpc: network.vpc });
  new Cache(stack, 'DevCache', { vpc: network.vpc, production: false });
  new WebTier(stack, 'Web', { vpc: network.vpc, certificate });
  new WebTier(stack, 'DevWeb', { vpc: network.vpc, production: false });
  new WebTier(stack, 'EdgeWeb', { vpc: network.vpc, certificate, loadBalancerIngress: LoadBalancerIngress.cloudFrontOnly({ port: 443 }) });
  new PosterCdn(stack, 'Cdn');
  addNagPacks(app);
  app.synth();
  return { assemblyDir, template: JSON.parse(readFileSync(join(assemblyDir, 'Constructs.template.json'), 'utf8')) as Record<string, unknown> };
}

describe('no reliance on the host app feature flags: the platform', () => {
  let withFlags: SynthesisedPlatform;
  let withoutFlags: SynthesisedPlatform;
  beforeAll(() => {
    withoutFlags = synthesisePlatform('prod', { featureFlags: 'none' });
    withFlags = synthesisePlatform('prod');
  }, 120_000);

  it("synthesises in an app whose cdk.json sets no feature flag, with zero unacknowledged findings, like the repository's", () => {
    expect(openFindings(withoutFlags.assemblyDir)).toEqual([]);
    expect(openFindings(withFlags.assemblyDir)).toEqual([]);
  });

  it('builds the same resources with the same settings and the same grants either way', () => {
    expect(normalisedResources(withoutFlags.template.toJSON())).toEqual(normalisedResources(withFlags.template.toJSON()));
  });

  it('sets what its posture depends on itself: bucket ownership, access logs by bucket policy, a unique proxy name', () => {
    const resources = withoutFlags.template.toJSON()['Resources'] as Resources;
    const buckets = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::S3::Bucket');
    for (const [id, bucket] of buckets) {
      const ownership = (bucket.Properties!['OwnershipControls'] as { Rules: { ObjectOwnership: string }[] }).Rules[0]!.ObjectOwnership;
      // Only the CloudFront standard-log bucket keeps ACLs on, as CloudFront's log delivery needs.
      expect(ownership, id).toBe(id.includes('CdnLogs') ? 'BucketOwnerPreferred' : 'BucketOwnerEnforced');
      expect(bucket.Properties!['PublicAccessBlockConfiguration'], id).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    }
    const logged = buckets.filter(([, bucket]) => bucket.Properties!['LoggingConfiguration']);
    expect(logged.length).toBe(buckets.length - 1); // all but the log bucket itself
    const logDelivery = JSON.stringify(Object.values(resources).filter((r) => r.Type === 'AWS::S3::BucketPolicy'));
    expect(logDelivery).toContain('"Service":"logging.s3.amazonaws.com"');
    const proxy = Object.values(resources).find((r) => r.Type === 'AWS::RDS::DBProxy')!;
    expect(proxy.Properties!['DBProxyName']).toMatch(/^TicketkitprodPlatformDatabaseProxy[0-9A-F]{8}$/);
  });
});

describe('no reliance on the host app feature flags: each construct on its own', () => {
  it('synthesises with zero unacknowledged findings and the same template with or without the flags', () => {
    const without = synthesiseEachConstruct(contextWithoutFeatureFlags());
    const withFlags = synthesiseEachConstruct(committedContext());
    expect(openFindings(without.assemblyDir)).toEqual([]);
    expect(openFindings(withFlags.assemblyDir)).toEqual([]);
    expect(normalisedResources(without.template)).toEqual(normalisedResources(withFlags.template));
    Template.fromJSON(without.template).resourcePropertiesCountIs('AWS::RDS::DBProxy', { DBProxyName: 'Proxy' }, 0);
  }, 120_000);
});
