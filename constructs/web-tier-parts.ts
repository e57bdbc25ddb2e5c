import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { acknowledge, nagRule } from './nag/acknowledge.ts';

/** The group of a stand-alone web tier's load balancer: 443 and 80 from anywhere, nothing else. */
export function createPublicLoadBalancerSecurityGroup(scope: Construct, id: string, vpc: ec2.IVpc): ec2.SecurityGroup {
  const group = new ec2.SecurityGroup(scope, id, { vpc, allowAllOutbound: true, description: 'Internet-facing load balancer' });
  group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from the internet');
  group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from the internet, redirected to HTTPS');
  acknowledge(group, [nagRule('AwsSolutions', 'EC23')], 'An internet-facing load balancer accepts ports 443 and 80 from any address; 80 only redirects to HTTPS.');
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
