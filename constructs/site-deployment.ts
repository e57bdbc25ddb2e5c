import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from './managed-policy-role.ts';
import { acknowledge, complianceRules, nagFindingText, nagRule } from './nag/acknowledge.ts';

export interface SiteDeploymentProps {
  /** The built single-page site (index.html and hashed files under assets/), e.g. `dist/web`. */
  readonly directory: string;
  /** Bucket served by the distribution's default behaviour. */
  readonly bucket: s3.IBucket;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Retention of the deployment log. @default one year */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Copies the built buyer page into the bucket root next to `posters/` (never pruning, so posters and the
 * previous release's assets stay): hashed assets with a year of immutable caching first, then
 * `index.html` revalidated on every load, so a new page never points at assets not yet uploaded.
 */
export class SiteDeployment extends Construct {
  public readonly assets: s3deploy.BucketDeployment;
  public readonly pages: s3deploy.BucketDeployment;
  public readonly role: ManagedPolicyRole;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SiteDeploymentProps) {
    super(scope, id);
    if (!existsSync(join(props.directory, 'index.html'))) {
      throw new Error(`SiteDeployment: ${props.directory} has no index.html; build the page first (npm run build:web).`);
    }
    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the buyer page into the site bucket',
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR, removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN });
    this.logGroup.grantWrite(this.role);
    const common = { destinationBucket: props.bucket, prune: false, role: this.role, memoryLimit: 512, logGroup: this.logGroup };
    this.assets = new s3deploy.BucketDeployment(this, 'Assets', {
      ...common,
      sources: [s3deploy.Source.asset(props.directory, { exclude: ['index.html'] })],
      exclude: ['index.html'],
      cacheControl: [s3deploy.CacheControl.setPublic(), s3deploy.CacheControl.maxAge(Duration.days(365)), s3deploy.CacheControl.immutable()],
    });
    this.pages = new s3deploy.BucketDeployment(this, 'Pages', {
      ...common,
      sources: [s3deploy.Source.asset(props.directory, { exclude: ['*', '!index.html'] })],
      exclude: ['*'],
      include: ['index.html'],
      cacheControl: [s3deploy.CacheControl.noCache()],
    });
    this.pages.node.addDependency(this.assets);
    this.acknowledgeFindings(props.bucket);
  }

  private acknowledgeFindings(bucket: s3.IBucket): void {
    const stack = Stack.of(this);
    const wildcards = [
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'].map((action) => `Action::${action}`),
      `Resource::<${stack.getLogicalId(bucket.node.defaultChild as never)}.Arn>/*`,
    ];
    // The asset bucket's objects (its name comes from the synthesizer: account, region, qualifier; the
    // partition a literal or a token, as the host app's @aws-cdk/core:enablePartitionLiterals decides).
    const statements = (stack.resolve(this.role.policy.document.toJSON()) as { Statement: { Resource: unknown }[] }).Statement;
    for (const resource of statements.flatMap((statement) => [statement.Resource].flat()).map(nagFindingText)) {
      if (resource.startsWith('arn:') && resource.endsWith('/*')) wildcards.push(`Resource::${resource}`);
    }
    acknowledge(
      this.role.policy,
      wildcards.map((finding) => nagRule('AwsSolutions', 'IAM5', finding)),
      "CDK's BucketDeployment syncs a directory: it reads any object of its asset bucket and lists, reads, writes and deletes objects of the site bucket (object ARNs and S3/KMS action groups need wildcards), and writes its own log streams.",
    );
    acknowledge(
      this.logGroup,
      complianceRules('CloudWatchLogGroupEncrypted'),
      'The deployment log holds only file names of the public buyer page, which anyone can download; it is kept as long as the other logs of the platform (a year in production).',
    );
    // BucketDeployment runs one CDK-managed Lambda per stack (a singleton at the stack's root).
    for (const handler of stack.node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'))) {
      acknowledge(
        handler,
        [nagRule('AwsSolutions', 'L1'), ...complianceRules('LambdaInsideVPC'), ...complianceRules('LambdaConcurrency', ['NIST.800.53.R5', 'HIPAA.Security']), ...complianceRules('LambdaDLQ', ['NIST.800.53.R5', 'HIPAA.Security'])],
        "CDK's own BucketDeployment handler: it runs only during a deployment to copy the public buyer page to S3, pinned to CDK's runtime, needs no VPC (it only calls S3), never runs concurrently with itself, and CloudFormation reports a failure (no event is lost to a dead-letter queue).",
      );
    }
  }
}

/**
 * Viewer-request function of the default behaviour: a path without a file extension is a page of the
 * single-page app (history routing), answered with `/index.html`, as the API does locally.
 */
export function singlePageAppRewrite(scope: Construct, id: string): cloudfront.Function {
  return new cloudfront.Function(scope, id, {
    runtime: cloudfront.FunctionRuntime.JS_2_0,
    comment: 'Extension-less paths are pages of the buyer app: serve /index.html',
    code: cloudfront.FunctionCode.fromInline(
      [
        'function handler(event) {',
        '  var request = event.request;',
        "  var last = request.uri.split('/').pop();",
        "  if (last.indexOf('.') === -1) request.uri = '/index.html';",
        '  return request;',
        '}',
      ].join('\n'),
    ),
  });
}
