import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { WebTier } from '../../constructs/web-tier.ts';
import { LoadBalancerIngress } from '../../constructs/web-tier-ingress.ts';
import { logicalId, newStack } from './support/cdk-app.ts';
import { acknowledgementsUnder } from './support/nag.ts';
import { ingressRules } from './support/security-groups.ts';
import { testVpc } from './support/vpc.ts';

const vpcIn = testVpc;

describe('WebTier', () => {
  it('uses its defaults: /readyz, 30 s drain, 2-10 instances, WAF with a rate rule', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    new WebTier(stack, 'Web', { vpc: vpcIn(stack), certificate });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/readyz',
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
    });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '2', MaxSize: '10' });
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([Match.objectLike({ Name: 'RateLimitPerIp', Statement: { RateBasedStatement: Match.objectLike({ Limit: 2000, AggregateKeyType: 'IP' }) } })]),
    });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it('lets props override health check, drain, capacity, instance type and rate limit', () => {
    const stack = newStack();
    new WebTier(stack, 'Web', {
      vpc: vpcIn(stack),
      production: false,
      healthCheckPath: '/ready',
      deregistrationDelay: Duration.seconds(45),
      minCapacity: 1,
      maxCapacity: 4,
      instanceType: new ec2.InstanceType('c7g.xlarge'),
      rateLimitPer5Minutes: 500,
      requestsPerTargetPerMinute: 250,
      onSaleWindows: [{ name: 'launch', startsAt: '2030-01-01T10:00:00Z', durationMinutes: 60 }],
      prewarmCapacity: 3,
      prewarmLead: Duration.minutes(15),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/ready',
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '45' }]),
    });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '1', MaxSize: '4' });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: Match.objectLike({ InstanceType: 'c7g.xlarge' }) });
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 500 }) } })]) });
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', { TargetTrackingConfiguration: Match.objectLike({ TargetValue: 250 }) });
    template.hasResourceProperties('AWS::AutoScaling::ScheduledAction', { Recurrence: '45-59/5 9 1 1 *', MinSize: 3, StartTime: Match.absent() });
    template.hasResourceProperties('AWS::AutoScaling::ScheduledAction', { Recurrence: '0-29/5 11 1 1 *', MinSize: 1, StartTime: Match.absent() });
  });

  it('admits the internet on 443 and 80 when no CDN is in front (the default), with EC23 acknowledged', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    const web = new WebTier(stack, 'Web', { vpc: vpcIn(stack), certificate });
    const lbGroup = web.loadBalancer.connections.securityGroups[0]!;
    const lb = logicalId(stack, lbGroup);
    const rules = ingressRules(Template.fromStack(stack)).filter((rule) => rule.group === lb);
    expect(rules.map((rule) => [rule.source, rule.fromPort]).sort()).toEqual([['0.0.0.0/0', 443], ['0.0.0.0/0', 80]].sort());
    expect(acknowledgementsUnder(lbGroup).map((ack) => ack.id)).toContain('AwsSolutions::AwsSolutions-EC23');
  });

  it('admits only the CloudFront origin-facing prefix list, on one port, behind a CDN', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    const web = new WebTier(stack, 'Web', { vpc: vpcIn(stack), certificate, loadBalancerIngress: LoadBalancerIngress.cloudFrontOnly({ port: 443 }) });
    const lbGroup = web.loadBalancer.connections.securityGroups[0]!;
    const lb = logicalId(stack, lbGroup);
    const rules = ingressRules(Template.fromStack(stack)).filter((rule) => rule.group === lb);
    // Looked up by name; the committed cdk.context.json answers for 111111111111 / us-east-1.
    expect(rules).toEqual([{ group: lb, source: 'pl-3b927c52', fromPort: 443, toPort: 443 }]);
    expect(acknowledgementsUnder(lbGroup).map((ack) => ack.id)).not.toContain('AwsSolutions::AwsSolutions-EC23');
  });

  it('refuses an ingress choice for a group it does not create, and a port that is not one', () => {
    const stack = newStack();
    const vpc = vpcIn(stack);
    const loadBalancerSecurityGroup = new ec2.SecurityGroup(stack, 'Lb', { vpc });
    const loadBalancerIngress = LoadBalancerIngress.cloudFrontOnly({ port: 80 });
    expect(() => new WebTier(stack, 'Web', { vpc, production: false, loadBalancerSecurityGroup, loadBalancerIngress })).toThrow(/loadBalancerIngress only shapes the group WebTier creates/);
    expect(() => LoadBalancerIngress.cloudFrontOnly({ port: 0 })).toThrow(/port 0 is invalid; use the port CloudFront reaches the origin on/);
  });

  it('makes CloudFormation wait for ready instances: signals on create and on every rolling batch, the boot script\'s exit code as the signal', () => {
    const stack = newStack();
    const web = new WebTier(stack, 'Web', { vpc: vpcIn(stack), production: false, minCapacity: 2, maxCapacity: 2, readinessTimeout: Duration.minutes(20) });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::AutoScaling::AutoScalingGroup', {
      CreationPolicy: { ResourceSignal: { Count: 2, Timeout: 'PT20M' } },
      UpdatePolicy: {
        // Never below the minimum (CloudFormation wants it below MaxSize), batches as large as the minimum.
        AutoScalingRollingUpdate: Match.objectLike({ WaitOnResourceSignals: true, PauseTime: 'PT20M', MinInstancesInService: 1, MaxBatchSize: 2 }),
        AutoScalingScheduledAction: { IgnoreUnmodifiedGroupSizeProperties: true },
      },
      Properties: Match.objectLike({ DesiredCapacity: Match.absent() }),
    });
    expect(web.userData.render()).toMatch(/^trap exitTrap EXIT$/m);
    // The signal permission lands in the role's managed policy: no inline policy.
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'cloudformation:SignalResource', Resource: { Ref: 'AWS::StackId' } })] },
    });
  });

  it('refuses a readiness timeout no boot fits in, naming the range', () => {
    const stack = newStack();
    expect(() => new WebTier(stack, 'Web', { vpc: vpcIn(stack), production: false, readinessTimeout: Duration.seconds(30) })).toThrow(/readinessTimeout 30s is invalid; use 1-60 minutes/);
  });

  it('refuses production without a certificate, naming the fix', () => {
    const stack = newStack();
    expect(() => new WebTier(stack, 'Web', { vpc: vpcIn(stack) })).toThrow(/production serves HTTPS only; pass certificate/);
  });

  it('refuses a capacity plan that cannot hold', () => {
    const stack = newStack();
    const vpc = vpcIn(stack);
    expect(() => new WebTier(stack, 'A', { vpc, production: false, minCapacity: 5, maxCapacity: 2 })).toThrow(/maxCapacity 2 is below minCapacity 5/);
    expect(() => new WebTier(stack, 'B', { vpc, production: false, maxCapacity: 4, prewarmCapacity: 9 })).toThrow(/prewarmCapacity 9 must lie between/);
  });
});
