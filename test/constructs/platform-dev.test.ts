import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readValidationSummary } from '../../constructs/nag/validation-summary.ts';
import { logicalId, synthesisePlatform, type SynthesisedPlatform } from './support/cdk-app.ts';
import { expectOriginSecretBetweenCdnAndLoadBalancer } from './support/origin-secret.ts';
import { acknowledgementsUnder } from './support/nag.ts';
import { ingressRules, launchTemplateUserData } from './support/security-groups.ts';

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
    const used = new Set(acknowledged.map((a) => `${a.id}@${a.path}`));
    for (const ack of acknowledgementsUnder(dev.stack.platform)) {
      expect(ack.reason.length, ack.id).toBeGreaterThanOrEqual(20);
      // CDK's own CloudFormation-Validate acknowledgements and dropped annotation warnings are not listed as findings.
      if (!ack.id.startsWith('Annotation::') && !ack.id.startsWith('CloudFormation-Validate::')) {
        expect(used.has(`${ack.id}@${ack.path}`), `stale acknowledgement ${ack.id} at ${ack.path}`).toBe(true);
      }
    }
  });

  it('serves plain HTTP from the load balancer (no HTTPS listener) without deletion protection', () => {
    // Plain HTTP, refusing by default: only requests with CloudFront's origin secret are forwarded (below).
    dev.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80, Protocol: 'HTTP', DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '403' }) })],
    });
    expect(Object.values(dev.template.findResources('AWS::ElasticLoadBalancingV2::Listener', { Properties: { Protocol: 'HTTPS' } }))).toHaveLength(0);
    dev.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'false' }]),
    });
  });

  it('forwards only requests that carry the origin secret CloudFront adds, read from Secrets Manager at deploy time', () => {
    expectOriginSecretBetweenCdnAndLoadBalancer(dev);
  });

  it('admits no address range: only CloudFront reaches the load balancer, on 80 (its HTTP origin) alone', () => {
    const lb = logicalId(dev.stack, dev.stack.platform.network.loadBalancerSecurityGroup);
    const rules = ingressRules(dev.template);
    expect(rules.filter((rule) => rule.source.includes('/'))).toEqual([]);
    expect(rules.filter((rule) => rule.group === lb)).toEqual([{ group: lb, source: 'pl-3b927c52', fromPort: 80, toPort: 80 }]);
    expect(readValidationSummary(dev.assemblyDir).flatMap((s) => s.acknowledged).filter((ack) => ack.id.includes('EC23'))).toEqual([]);
  });

  it('trusts two proxies (CloudFront, then the load balancer) for the viewer address', () => {
    expect(launchTemplateUserData(dev.template)).toContain('Environment="TRUST_PROXY=2"');
  });

  it('uses one NAT gateway, single-node Redis and single-AZ RDS', () => {
    dev.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    dev.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { MultiAZEnabled: false, AutomaticFailoverEnabled: false, ReplicasPerNodeGroup: 0 });
    dev.template.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: false, DeletionProtection: false, StorageEncrypted: true });
    dev.template.resourceCountIs('AWS::RDS::DBProxy', 0);
  });

  it('keeps the same on-sale pre-warm as production and connects to RDS directly with TLS against the RDS CA', () => {
    dev.template.hasResourceProperties('AWS::AutoScaling::ScheduledAction', { Recurrence: '30-59/5 16 1 6 *', MinSize: 2 });
    const [launchTemplate] = Object.values(dev.template.findResources('AWS::EC2::LaunchTemplate'));
    expect(JSON.stringify(launchTemplate)).toContain('?ssl=rds');
  });
});
