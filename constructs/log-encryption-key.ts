import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * A customer managed key, rotated yearly, that CloudWatch Logs in this account and region may use
 * to encrypt log groups (flow logs, application logs, WAF logs).
 */
export function createLogEncryptionKey(scope: Construct, id: string): kms.Key {
  const key = new kms.Key(scope, id, {
    enableKeyRotation: true,
    description: `Encrypts CloudWatch log groups of ${scope.node.path}`,
  });
  const { region, account, partition } = Stack.of(scope);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` } },
    }),
  );
  return key;
}
