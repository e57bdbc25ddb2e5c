import { Stack } from 'aws-cdk-lib';
import type * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { WebTierSettings } from './web-tier-defaults.ts';
import type { LoadBalancerIngress } from './web-tier-ingress.ts';

/** The group of a stand-alone web tier's load balancer: what `ingress` admits, nothing else. */
export function createLoadBalancerSecurityGroup(scope: Construct, id: string, vpc: ec2.IVpc, ingress: LoadBalancerIngress): ec2.SecurityGroup {
  const description = ingress.fromInternet ? 'Internet-facing load balancer' : 'Load balancer behind CloudFront';
  const group = new ec2.SecurityGroup(scope, id, { vpc, allowAllOutbound: true, description });
  ingress.applyTo(group);
  return group;
}

/**
 * Key of the scaling notifications topic. Auto Scaling publishes as its service-linked role,
 * which therefore needs the key (the role must exist before deployment).
 */
export function createScalingNotificationsKey(scope: Construct, id: string): kms.Key {
  const key = new kms.Key(scope, id, { enableKeyRotation: true, description: 'Encrypts Auto Scaling notifications' });
  const { account, partition } = Stack.of(scope);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ArnPrincipal(`arn:${partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`)],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
    }),
  );
  return key;
}

/**
 * A rolling update that never takes the group below its minimum: new instances launch (and signal ready)
 * before old ones go, a batch as large as the minimum at a time. Scheduled actions are suspended meanwhile
 * (CDK's default); the on-sale schedule repeats every few minutes, so a firing missed is made up after.
 */
export function rollingUpdateOptions(settings: WebTierSettings): autoscaling.RollingUpdateOptions {
  return {
    maxBatchSize: settings.minCapacity,
    // CloudFormation requires it below MaxSize.
    minInstancesInService: Math.min(settings.minCapacity, settings.maxCapacity - 1),
  };
}
