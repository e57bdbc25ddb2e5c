import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge, complianceRules } from './nag/acknowledge.ts';

export interface SecureBucketOptions {
  /** Where S3 server access logs go; omit only for the log bucket itself. */
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
    serverAccessLogsBucket: options.serverAccessLogsBucket,
    serverAccessLogsPrefix: options.serverAccessLogsPrefix,
    removalPolicy: options.removalPolicy,
    lifecycleRules: [
      { id: 'expire-old-versions', noncurrentVersionExpiration: options.noncurrentVersionExpiration },
      { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
    ],
  });
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
