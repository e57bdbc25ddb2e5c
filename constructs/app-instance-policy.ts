import { Stack } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge, nagFindingText, nagRule } from './nag/acknowledge.ts';

export interface AppInstancePolicyProps {
  readonly secrets: readonly secretsmanager.ISecret[];
  /** `arn:aws:rds-db:...:dbuser:<resource id>/<user>` the app signs in to with RDS IAM tokens. @default none */
  readonly databaseConnectArns?: readonly string[];
  readonly secretKeys: readonly kms.IKey[];
  readonly posterBucket: s3.IBucket;
  readonly posterKey: kms.IKey;
  /** Key prefix the app may read and write. */
  readonly posterPrefix: string;
  readonly bundle: s3assets.Asset;
  readonly logGroup: logs.ILogGroup;
  /** CloudFront KeyValueStores the API's waiting-room publisher writes (describe for the ETag, then UpdateKeys). @default - none */
  readonly keyValueStores?: readonly cloudfront.IKeyValueStore[];
}

/**
 * Everything the app instances may do besides Session Manager, as one customer managed policy: sign in
 * to MySQL as their own user, read their secrets, read/write posters under one prefix, fetch the API
 * bundle, write their logs.
 */
export class AppInstancePolicy extends Construct {
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: AppInstancePolicyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const region = stack.region;
    const anyKey = stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
    const posterObjects = props.posterBucket.arnForObjects(`${props.posterPrefix}*`);
    this.policy = new iam.ManagedPolicy(this, 'Resource', {
      description: 'ticketkit app instances: secrets, posters, API bundle, logs',
      statements: [
        ...(props.databaseConnectArns?.length ? [new iam.PolicyStatement({ sid: 'ConnectToDatabase', actions: ['rds-db:connect'], resources: [...props.databaseConnectArns] })] : []),
        new iam.PolicyStatement({ sid: 'ReadSecrets', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: props.secrets.map((s) => s.secretArn) }),
        new iam.PolicyStatement({
          sid: 'DecryptSecrets',
          actions: ['kms:Decrypt'],
          resources: props.secretKeys.map((k) => k.keyArn),
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
        }),
        new iam.PolicyStatement({ sid: 'ReadWritePosters', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [posterObjects] }),
        new iam.PolicyStatement({
          sid: 'ListPosters',
          actions: ['s3:ListBucket'],
          resources: [props.posterBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${props.posterPrefix}*`] } },
        }),
        new iam.PolicyStatement({
          sid: 'EncryptPosters',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.posterKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        }),
        new iam.PolicyStatement({ sid: 'FetchApiBundle', actions: ['s3:GetObject'], resources: [props.bundle.bucket.arnForObjects(props.bundle.s3ObjectKey)] }),
        // The CDK assets bucket is SSE-KMS: the AWS managed aws/s3 key by default, or the key given to
        // `cdk bootstrap`, neither known here. Decrypt only through S3, only for objects of that bucket.
        new iam.PolicyStatement({
          sid: 'DecryptApiBundle',
          actions: ['kms:Decrypt'],
          resources: [anyKey],
          conditions: {
            StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` },
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [props.bundle.bucket.bucketArn, props.bundle.bucket.arnForObjects('*')] },
          },
        }),
        new iam.PolicyStatement({ sid: 'WriteLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [props.logGroup.logGroupArn] }),
        ...(props.keyValueStores?.length
          ? [
              new iam.PolicyStatement({
                sid: 'PublishWaitingRooms',
                actions: ['cloudfront-keyvaluestore:DescribeKeyValueStore', 'cloudfront-keyvaluestore:UpdateKeys'],
                resources: props.keyValueStores.map((store) => store.keyValueStoreArn),
              }),
            ]
          : []),
      ],
    });
    acknowledge(
      this.policy,
      [nagRule('AwsSolutions', 'IAM5', `Resource::<${Stack.of(this).getLogicalId(props.posterBucket.node.defaultChild as never)}.Arn>/${props.posterPrefix}*`)],
      `Object ARNs need a wildcard: the app reads and writes any poster, but only under the ${props.posterPrefix} prefix of its own bucket.`,
    );
    acknowledge(
      this.policy,
      [nagRule('AwsSolutions', 'IAM5', `Resource::${nagFindingText(stack.resolve(anyKey))}`)],
      "The CDK assets bucket's key (AWS managed aws/s3, or the one given to cdk bootstrap) is unknown at synth; kms:Decrypt is limited to S3 in this region and to that bucket's objects by encryption context.",
    );
  }
}
