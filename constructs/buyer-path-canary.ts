import { ArnFormat, Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';
import { BUYER_PATH_CANARY_SCRIPT } from './buyer-path-canary-script.ts';
import { ManagedPolicyRole } from './managed-policy-role.ts';
import { acknowledge, nagFindingText, nagRule } from './nag/acknowledge.ts';
import { createSecureBucket } from './secure-bucket.ts';

/** The newest Puppeteer runtime of aws-cdk-lib 2.27x (Node.js 22). */
export const BUYER_PATH_CANARY_RUNTIME = synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_13_0;

export interface BuyerPathCanaryProps {
  /** `https://` address of the site the canary walks (CloudFront's). */
  readonly siteUrl: string;
  /** How often it walks. @default 5 minutes */
  readonly every?: Duration;
  /** Bucket that receives S3 server access logs of the artifacts bucket (SSE-S3: a KMS bucket cannot receive them). */
  readonly accessLogsBucket: s3.IBucket;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A CloudWatch Synthetics canary walking the buyer's path (home → event → seat map) through the site's
 * public address, never buying. Screenshots and HAR files go to a KMS-encrypted, TLS-only bucket kept 30
 * days; its role is limited to that bucket, its key, its own log groups and Synthetics' metric namespace.
 */
export class BuyerPathCanary extends Construct {
  public readonly canary: synthetics.Canary;
  public readonly artifactsBucket: s3.Bucket;
  public readonly artifactsKey: kms.Key;
  public readonly role: ManagedPolicyRole;

  constructor(scope: Construct, id: string, props: BuyerPathCanaryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.artifactsKey = new kms.Key(this, 'ArtifactsKey', { enableKeyRotation: true, description: `Encrypts the artifacts of ${this.node.path}`, removalPolicy: props.removalPolicy });
    this.artifactsBucket = createSecureBucket(this, 'Artifacts', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.artifactsKey,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'canary-artifacts/',
      noncurrentVersionExpiration: Duration.days(7),
      removalPolicy: props.removalPolicy,
    });
    this.artifactsBucket.addLifecycleRule({ id: 'expire-artifacts', expiration: Duration.days(30) });

    // Written out rather than left to Canary: its own role puts the same grants in an inline policy.
    const canaryLogGroups = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/lambda/cwsyn-*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const artifactObjects = this.artifactsBucket.arnForObjects('*');
    this.role = new ManagedPolicyRole(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: 'CloudWatch Synthetics canary of the buyer path' });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'WriteArtifacts', actions: ['s3:PutObject'], resources: [artifactObjects] }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'LocateArtifactsBucket', actions: ['s3:GetBucketLocation'], resources: [this.artifactsBucket.bucketArn] }));
    // Synthetics lists the account's buckets before writing (a documented requirement of every canary role).
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ListBuckets', actions: ['s3:ListAllMyBuckets'], resources: ['*'] }));
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'PutCanaryMetrics', actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': 'CloudWatchSynthetics' } } }),
    );
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'WriteCanaryLogs', actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], resources: [canaryLogGroups] }));

    this.canary = new synthetics.Canary(this, 'Resource', {
      runtime: BUYER_PATH_CANARY_RUNTIME,
      test: synthetics.Test.custom({ code: synthetics.Code.fromInline(BUYER_PATH_CANARY_SCRIPT), handler: 'index.handler' }),
      schedule: synthetics.Schedule.rate(props.every ?? Duration.minutes(5)),
      environmentVariables: { SITE_URL: props.siteUrl },
      role: this.role,
      artifactsBucketLocation: { bucket: this.artifactsBucket, prefix: 'runs' },
      artifactS3EncryptionMode: synthetics.ArtifactsEncryptionMode.KMS,
      artifactS3KmsKey: this.artifactsKey,
      timeout: Duration.minutes(2),
      successRetentionPeriod: Duration.days(7),
      failureRetentionPeriod: Duration.days(30),
      provisionedResourceCleanup: true,
    });

    acknowledge(
      this.role.policy,
      [nagRule('AwsSolutions', 'IAM5', `Resource::<${stack.getLogicalId(this.artifactsBucket.node.defaultChild as never)}.Arn>/*`)],
      'Each canary run writes its screenshots and HAR under a new key: object ARNs need a wildcard, in the canary’s own artifacts bucket only.',
    );
    acknowledge(
      this.role.policy,
      [nagRule('AwsSolutions', 'IAM5', 'Action::kms:GenerateDataKey*'), nagRule('AwsSolutions', 'IAM5', 'Action::kms:ReEncrypt*')],
      "Canary's own grant (grantEncryptDecrypt) for its artifacts key: the action wildcards apply to that one key, which encrypts nothing else.",
    );
    acknowledge(
      this.role.policy,
      [nagRule('AwsSolutions', 'IAM5', 'Resource::*')],
      's3:ListAllMyBuckets has no resource-level permissions and cloudwatch:PutMetricData none either (limited here to the CloudWatchSynthetics namespace by condition).',
    );
    acknowledge(
      this.role.policy,
      [nagRule('AwsSolutions', 'IAM5', `Resource::${nagFindingText(stack.resolve(canaryLogGroups))}`)],
      'Synthetics names the canary function (and so its log group) cwsyn-<name>-<id> at deploy time: the log groups are matched by that prefix.',
    );
  }
}
