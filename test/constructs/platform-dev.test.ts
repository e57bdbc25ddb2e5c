import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readValidationSummary } from '../../constructs/nag/validation-summary.ts';
import { synthesisePlatform, type SynthesisedPlatform } from './support/cdk-app.ts';
import { acknowledgementsUnder } from './support/nag.ts';

let dev: SynthesisedPlatform;
beforeAll(() => {
  dev = synthesisePlatform('dev');
});

describe('dev platform', () => {
  it('has zero unacknowledged findings, with its cheaper choices acknowledged and explained', () => {
    const summaries = readValidationSummary(dev.assemblyDir);
    for (const summary of summaries) expect(summary.unacknowledged, summary.plugin).toEqual([]);
    const acknowledged = summaries.flatMap((s) => s.acknowledged);
    const reasonFor = (id: string) => acknowledged.find((a) => a.id === id)?.reason ?? '';
    expect(reasonFor('AwsSolutions::AwsSolutions-CFR4')).toMatch(/development/i);
    expect(reasonFor('AwsSolutions::AwsSolutions-RDS3')).toMatch(/development/i);
    expect(reasonFor('AwsSolutions::AwsSolutions-AEC4')).toMatch(/development/i);
    for (const ack of acknowledgementsUnder(dev.stack.platform)) expect(ack.reason.length, ack.id).toBeGreaterThanOrEqual(20);
  });

  it('serves plain HTTP from the load balancer (no HTTPS listener) without deletion protection', () => {
    dev.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP', DefaultActions: [Match.objectLike({ Type: 'forward' })] });
    expect(Object.values(dev.template.findResources('AWS::ElasticLoadBalancingV2::Listener', { Properties: { Protocol: 'HTTPS' } }))).toHaveLength(0);
    dev.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'false' }]),
    });
  });

  it('uses one NAT gateway, single-node Redis and single-AZ RDS', () => {
    dev.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    dev.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { MultiAZEnabled: false, AutomaticFailoverEnabled: false, ReplicasPerNodeGroup: 0 });
    dev.template.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: false, DeletionProtection: false, StorageEncrypted: true });
    dev.template.resourceCountIs('AWS::RDS::DBProxy', 0);
  });

  it('keeps the same on-sale pre-warm as production and connects to RDS directly with TLS against the RDS CA', () => {
    dev.template.hasResourceProperties('AWS::AutoScaling::ScheduledAction', { StartTime: '2027-06-01T16:30:00Z', MinSize: 2 });
    const [launchTemplate] = Object.values(dev.template.findResources('AWS::EC2::LaunchTemplate'));
    expect(JSON.stringify(launchTemplate)).toContain('?ssl=rds');
  });
});
