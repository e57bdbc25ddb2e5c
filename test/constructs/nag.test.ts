import type { App } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { describe, expect, it } from 'vitest';
import { Cache } from '../../constructs/cache.ts';
import { acknowledge, complianceRules, NAG_PACK_NAMES, nagRule } from '../../constructs/nag/acknowledge.ts';
import { addNagPacks } from '../../constructs/nag/packs.ts';
import { readValidationSummary } from '../../constructs/nag/validation-summary.ts';
import { newStack } from './support/cdk-app.ts';
import { Database } from '../../constructs/database.ts';
import { PosterCdn } from '../../constructs/poster-cdn.ts';
import { ThreeTierNetwork } from '../../constructs/three-tier-network.ts';
import { WebTier } from '../../constructs/web-tier.ts';
import { LoadBalancerIngress } from '../../constructs/web-tier-ingress.ts';

describe('acknowledge', () => {
  it('builds Pack::Rule ids, narrowed to one finding when asked', () => {
    expect(nagRule('AwsSolutions', 'EC23')).toBe('AwsSolutions::AwsSolutions-EC23');
    expect(nagRule('AwsSolutions', 'IAM5', 'Resource::*')).toBe('AwsSolutions::AwsSolutions-IAM5[Resource::*]');
    expect(complianceRules('RDSMultiAZSupport', ['HIPAA.Security'])).toEqual(['HIPAA.Security::HIPAA.Security-RDSMultiAZSupport']);
  });

  it('refuses a vague reason and an id without its pack', () => {
    const stack = newStack();
    expect(() => acknowledge(stack, [nagRule('AwsSolutions', 'S1')], 'not needed')).toThrow(/too short: give a specific reason of at least 20 characters/);
    expect(() => acknowledge(stack, ['AwsSolutions-S1'], 'a reason that is long enough to pass')).toThrow(/must use the Pack::Rule form/);
  });
});

describe('each construct on its own under the four packs', () => {
  it('synthesises with zero unacknowledged findings, in production and development variants', () => {
    const stack = newStack();
    const app = stack.node.scope as App;
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
    const summaries = readValidationSummary(app.outdir);
    expect(summaries.map((s) => s.plugin)).toEqual(expect.arrayContaining([...NAG_PACK_NAMES]));
    for (const summary of summaries) expect(summary.unacknowledged, summary.plugin).toEqual([]);
    const acknowledged = summaries.flatMap((s) => s.acknowledged);
    expect(acknowledged.some((a) => a.id === 'AwsSolutions::AwsSolutions-AEC4' && a.path.endsWith('DevCache/Resource'))).toBe(true);
    // Open ingress is acknowledged where the internet may connect, and never needed behind CloudFront.
    const openIngress = acknowledged.filter((a) => a.id === 'AwsSolutions::AwsSolutions-EC23').map((a) => a.path.split('/')[1]);
    expect(openIngress.sort()).toEqual(['DevWeb', 'Network', 'Web']);
  });
});
