import { Annotations, Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge, complianceRules } from './nag/acknowledge.ts';

export interface SecureBucketOptions {
  /** Where S3 server access logs go; with only a prefix, the bucket logs into itself; with neither, no access logs (the log bucket itself). */
  readonly serverAccessLogsBucket?: s3.IBucket;
  readonly serverAccessLogsPrefix?: string;
  /** Delete noncurrent versions after this long. */
  readonly noncurrentVersionExpiration: Duration;
  readonly removalPolicy: RemovalPolicy;
  /** CloudFront standard logging writes with ACLs, so its bucket must let the owner take the objects. */
  readonly objectOwnership?: s3.ObjectOwnership;
  /** ALB access logs only support SSE-S3; content buckets use it too (CloudFront OAC reads it without KMS grants). */
  readonly encryption?: s3.BucketEncryption;
  readonly encryptionKey?: kms.IKey;
}

/**
 * A bucket no one can make public: block public access, TLS-only policy, versioning,
 * server-side encryption, expiry of old versions. Every bucket of the kit is one of these.
 */
export function createSecureBucket(scope: Construct, id: string, options: SecureBucketOptions): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    encryption: options.encryption ?? s3.BucketEncryption.S3_MANAGED,
    encryptionKey: options.encryptionKey,
    bucketKeyEnabled: options.encryptionKey !== undefined,
    objectOwnership: options.objectOwnership ?? s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: options.removalPolicy,
    lifecycleRules: [
      { id: 'expire-old-versions', noncurrentVersionExpiration: options.noncurrentVersionExpiration },
      { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
    ],
  });
  if (options.serverAccessLogsBucket || options.serverAccessLogsPrefix) {
    logServerAccess(bucket, options.serverAccessLogsBucket ?? bucket, options.serverAccessLogsPrefix);
  }
  acknowledge(
    bucket,
    complianceRules('S3BucketReplicationEnabled'),
    'Single-region deployment: versioning and lifecycle rules protect against deletion; cross-region replication is a disaster-recovery choice left to the platform team.',
  );
  if (options.encryption !== s3.BucketEncryption.KMS) {
    acknowledge(
      bucket,
      complianceRules('S3DefaultEncryptionKMS'),
      'Log delivery bucket: ALB access logs only support SSE-S3 and CloudFront standard logs are written by the log delivery service, so this bucket uses SSE-S3.',
    );
  }
  return bucket;
}

/**
 * S3 server access logging from `source` into `target`, granted by a bucket policy for the logging
 * service limited to this source bucket and account. Written out rather than left to
 * `s3.Bucket({ serverAccessLogsBucket })`, whose grant depends on the host app's feature flag
 * `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy`: without it CDK grants by ACL, which needs ACLs
 * enabled on the target (ObjectWriter) and fails on the kit's BUCKET_OWNER_ENFORCED buckets.
 */
function logServerAccess(source: s3.Bucket, target: s3.IBucket, prefix?: string): void {
  // A bucket logging into itself names no destination (naming itself would be a circular reference).
  const destinationBucketName = target === source ? undefined : target.bucketName;
  (source.node.defaultChild as s3.CfnBucket).loggingConfiguration = { destinationBucketName, logFilePrefix: prefix };
  const granted = target.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [target.arnForObjects(`${prefix ?? ''}*`)],
      conditions: { ArnLike: { 'aws:SourceArn': source.bucketArn }, StringEquals: { 'aws:SourceAccount': Stack.of(source).account } },
    }),
  );
  if (!granted.statementAdded) {
    Annotations.of(source).addWarningV2(
      'ticketkit:accessLogsPolicyNotAdded',
      `The policy of imported bucket ${target.node.path} cannot be changed here: allow logging.s3.amazonaws.com to s3:PutObject under ${prefix ?? '/'} for ${source.node.path} yourself.`,
    );
  }
}
