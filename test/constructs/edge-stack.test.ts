import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EdgeStack } from '../../constructs/edge-stack.ts';
import { addNagPacks } from '../../constructs/nag/packs.ts';
import { readValidationSummary } from '../../constructs/nag/validation-summary.ts';
import { readPlatformEnvironment } from '../../constructs/platform-environment.ts';
import { createPlatformStack } from '../../constructs/create-platform-stack.ts';
import { committedContext, testApiArtifact } from './support/cdk-app.ts';

/** The committed prod environment moved to eu-west-1, synthesised under the four packs. */
let assemblyDir: string;
let platform: Template;
let edge: Template;
beforeAll(() => {
  const context = committedContext();
  const environments = structuredClone(context['ticketkit:environments']) as Record<string, Record<string, unknown>>;
  environments['prod']!['region'] = 'eu-west-1';
  assemblyDir = mkdtempSync(join(tmpdir(), 'ticketkit-edge-'));
  const app = new App({ outdir: assemblyDir, context: { ...context, 'ticketkit:environments': environments, env: 'prod' } });
  createPlatformStack(app, readPlatformEnvironment(app.node, 'prod'), { apiArtifact: testApiArtifact() });
  addNagPacks(app);
  app.synth();
  const template = (name: string) => Template.fromJSON(JSON.parse(readFileSync(join(assemblyDir, `${name}.template.json`), 'utf8')));
  platform = template('Ticketkit-prod');
  edge = template('Ticketkit-prod-edge');
});

describe('a platform outside us-east-1', () => {
  it('keeps CloudFront\'s certificate and web ACL in a us-east-1 edge stack, DNS-validated in the zone', () => {
    edge.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'tickets.example.com',
      DomainValidationOptions: [{ DomainName: 'tickets.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
    edge.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
    const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { environment?: string; dependencies?: string[] }> };
    expect(manifest.artifacts['Ticketkit-prod-edge']!.environment).toBe('aws://111111111111/us-east-1');
    expect(manifest.artifacts['Ticketkit-prod']!.dependencies).toContain('Ticketkit-prod-edge');
  });

  it('reads them by cross-region reference and validates the load balancer\'s certificate in its own region', () => {
    const fromEdge = { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'Ticketkit-prod-edge', Region: 'us-east-1' }) };
    platform.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: fromEdge, ViewerCertificate: Match.objectLike({ AcmCertificateArn: fromEdge }) }),
    });
    platform.resourceCountIs('AWS::WAFv2::WebACL', 1); // the load balancer's regional one
    platform.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'origin.tickets.example.com', ValidationMethod: 'DNS' });
    platform.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    platform.resourceCountIs('AWS::Route53::RecordSet', 3);
  });

  it('has zero unacknowledged findings in either stack', () => {
    for (const summary of readValidationSummary(assemblyDir)) expect(summary.unacknowledged, summary.plugin).toEqual([]);
  });

  it('refuses an edge stack outside us-east-1 or a certificate without its zone, naming the fix', () => {
    const app = new App();
    expect(() => new EdgeStack(app, 'A', { env: { region: 'eu-west-1' } })).toThrow(/A is in eu-west-1; .* set its env region to us-east-1/);
    expect(() => new EdgeStack(app, 'B', { env: { region: 'us-east-1' }, domainName: 'x.example.com' })).toThrow(/pass hostedZoneAttributes/);
  });
});
