import { Duration, Stack, Token } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { isProduction, removalPolicyFor } from './platform-defaults.ts';
import { acknowledgePosterCdnFindings } from './poster-cdn-findings.ts';
import { createSecureBucket } from './secure-bucket.ts';
import { SiteDeployment, singlePageAppRewrite } from './site-deployment.ts';
import { siteResponseHeaders } from './site-response-headers.ts';
import { WAITING_ROOM_PATH_PATTERNS } from './waiting-room.ts';
import { WebAcl } from './web-acl.ts';

export interface PosterCdnProps {
  /**
   * Production retains the buckets when the stack is deleted.
   * @default true
   */
  readonly production?: boolean;
  /** Custom domain of the distribution; needs `certificate`. @default - the cloudfront.net name */
  readonly domainName?: string;
  /** us-east-1 ACM certificate for `domainName`. @default - the default CloudFront certificate */
  readonly certificate?: acm.ICertificate;
  /** Load balancer served for `apiPathPattern`, uncached. @default - no API origin */
  readonly apiLoadBalancer?: elbv2.IApplicationLoadBalancer;
  /**
   * Name CloudFront uses to reach the load balancer over HTTPS; it must match the load balancer's
   * certificate. @default - the load balancer's DNS name over plain HTTP (development only)
   */
  readonly apiOriginDomainName?: string;
  /** @default '/api/*' */
  readonly apiPathPattern?: string;
  /**
   * Headers CloudFront adds to every request it sends to the API origin, e.g. the secret the load
   * balancer requires (WebTier `requiredHeader`). Pass secrets as a dynamic reference. @default - none
   */
  readonly apiOriginHeaders?: Record<string, string>;
  /** Countries (ISO 3166-1 alpha-2) allowed to reach the site. @default - all countries */
  readonly allowedCountries?: readonly string[];
  /** Days noncurrent poster versions are kept. @default 30 */
  readonly noncurrentVersionDays?: number;
  /** WAF rate-based rule: requests per client IP per 5 minutes. @default 2000 */
  readonly rateLimitPer5Minutes?: number;
  /** Existing CLOUDFRONT-scope web ACL (required when the stack is not in us-east-1). @default a new one */
  readonly webAclArn?: string;
  /** Key of the poster bucket. @default a new key with rotation */
  readonly encryptionKey?: kms.IKey;
  /**
   * The built buyer page (e.g. `dist/web`): deployed to the bucket root and served by the default
   * behaviour, extension-less paths answered with index.html. @default - no site is deployed
   */
  readonly siteDirectory?: string;
  /**
   * The waiting room's viewer-request function (WaitingRoom `function`): with `apiLoadBalancer`, the API
   * behaviour is repeated for each of WAITING_ROOM_PATH_PATTERNS with the function associated. @default - no room at the edge
   */
  readonly waitingRoomFunction?: cloudfront.IFunction;
  /**
   * AWS WAF's CAPTCHA JavaScript integration URL (the API's WAF_CAPTCHA_SCRIPT_URL): the page's
   * Content-Security-Policy allows its origin, and the web ACL created here puts a CAPTCHA on the waiting
   * room's join, accepting tokens for `domainName` (pass the same to an EdgeStack's `waitingRoomCaptcha`
   * when you give `webAclArn`). @default - no CAPTCHA
   */
  readonly captchaScriptUrl?: string;
}

/**
 * Poster bucket (private, KMS, versioned, access-logged) behind CloudFront via Origin Access Control,
 * with TLS 1.2+, security headers, logging, WAF and optionally the API load balancer on `/api/*`, so
 * one domain serves the site (default behaviour, bucket root), the posters (`/posters/*`) and the API.
 */
export class PosterCdn extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly encryptionKey: kms.IKey;
  public readonly logsBucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  public readonly webAcl?: WebAcl;
  public readonly webAclArn: string;
  public readonly site?: SiteDeployment;

  constructor(scope: Construct, id: string, props: PosterCdnProps = {}) {
    super(scope, id);
    const production = isProduction(props);
    validatePosterCdn(this, props);
    const removalPolicy = removalPolicyFor(production);

    // CloudFront standard logging writes with ACLs, hence BUCKET_OWNER_PREFERRED; public access stays blocked.
    this.logsBucket = createSecureBucket(this, 'Logs', {
      noncurrentVersionExpiration: Duration.days(30),
      removalPolicy,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    });
    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Encrypts ${this.node.path}` });
    this.bucket = createSecureBucket(this, 'Resource', {
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 's3-access/',
      noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays ?? 30),
      removalPolicy,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
    });

    if (props.webAclArn) {
      this.webAclArn = props.webAclArn;
    } else {
      this.webAcl = new WebAcl(this, 'WebAcl', {
        scope: 'CLOUDFRONT',
        rateLimitPer5Minutes: props.rateLimitPer5Minutes,
        removalPolicy,
        waitingRoomCaptcha: Boolean(props.captchaScriptUrl),
        tokenDomains: props.captchaScriptUrl && props.domainName ? [props.domainName] : undefined,
      });
      this.webAclArn = this.webAcl.arn;
    }

    const bucketOrigin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Site, posters and API of ${Stack.of(this).stackName}`,
      domainNames: props.domainName ? [props.domainName] : undefined,
      certificate: props.certificate,
      // Only a custom certificate can pin the viewer TLS policy; the default one is acknowledged below.
      minimumProtocolVersion: props.certificate ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultRootObject: 'index.html',
      webAclId: this.webAclArn,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
      geoRestriction: props.allowedCountries ? cloudfront.GeoRestriction.allowlist(...props.allowedCountries) : undefined,
      defaultBehavior: {
        origin: bucketOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: siteResponseHeaders(this, 'SiteHeaders', props.captchaScriptUrl),
        functionAssociations: props.siteDirectory
          ? [{ function: singlePageAppRewrite(this, 'SiteRewrite'), eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }]
          : undefined,
      },
      additionalBehaviors: {
        '/posters/*': {
          origin: bucketOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        },
        ...(props.apiLoadBalancer ? this.apiBehaviors(props, props.apiLoadBalancer) : {}),
      },
    });
    if (props.siteDirectory) this.site = new SiteDeployment(this, 'Site', { directory: props.siteDirectory, bucket: this.bucket });
    acknowledgePosterCdnFindings(this, props);
  }

  /**
   * The API behaviour on `apiPathPattern`, and before it (CloudFront takes the first pattern that matches) the
   * same behaviour, same origin, with the waiting room's function on each of its paths.
   */
  private apiBehaviors(props: PosterCdnProps, loadBalancer: elbv2.IApplicationLoadBalancer): Record<string, cloudfront.BehaviorOptions> {
    const api = this.apiBehavior(loadBalancer, props.apiOriginDomainName, props.apiOriginHeaders);
    const roomFunction = props.waitingRoomFunction;
    const room = roomFunction
      ? WAITING_ROOM_PATH_PATTERNS.map((pattern) => [pattern, { ...api, functionAssociations: [{ function: roomFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }] }])
      : [];
    return { ...Object.fromEntries(room), [props.apiPathPattern ?? '/api/*']: api };
  }

  /** The API behaviour: never cached, every method, cookies, query strings and headers (but Host) forwarded. */
  private apiBehavior(
    loadBalancer: elbv2.IApplicationLoadBalancer,
    originDomainName?: string,
    customHeaders?: Record<string, string>,
  ): cloudfront.BehaviorOptions {
    const origin = originDomainName
      ? new origins.HttpOrigin(originDomainName, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          customHeaders,
        })
      : new origins.LoadBalancerV2Origin(loadBalancer, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY, customHeaders });
    return {
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // Host stays CloudFront's origin name so the load balancer's certificate matches.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
    };
  }

  /** `https://` URL of the distribution, e.g. for POSTER_BASE_URL. */
  public get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}

function validatePosterCdn(scope: Construct, props: PosterCdnProps): void {
  if (Boolean(props.domainName) !== Boolean(props.certificate)) {
    throw new Error(`PosterCdn: domainName "${props.domainName ?? ''}" and certificate go together; pass both (a us-east-1 ACM certificate for the domain) or neither.`);
  }
  const region = Stack.of(scope).region;
  if (!props.webAclArn && !Token.isUnresolved(region) && region !== 'us-east-1') {
    throw new Error(`PosterCdn: a CloudFront web ACL can only be created in us-east-1, not ${region}; deploy the stack to us-east-1 or pass webAclArn.`);
  }
  for (const country of props.allowedCountries ?? []) {
    if (!/^[A-Z]{2}$/.test(country)) throw new Error(`PosterCdn: allowedCountries entry "${country}" is not an ISO 3166-1 alpha-2 code such as "US".`);
  }
  if (props.waitingRoomFunction && (props.apiPathPattern ?? '/api/*') !== '/api/*') {
    throw new Error(`PosterCdn: waitingRoomFunction covers ${WAITING_ROOM_PATH_PATTERNS.join(' and ')}, under the API's own /api/*, not apiPathPattern "${props.apiPathPattern}"; leave apiPathPattern at '/api/*'.`);
  }
  if (props.waitingRoomFunction && !props.apiLoadBalancer) {
    throw new Error('PosterCdn: waitingRoomFunction guards the API paths; pass apiLoadBalancer too (or leave the function out).');
  }
  if (props.captchaScriptUrl !== undefined && !isHttpsUrl(props.captchaScriptUrl)) {
    throw new Error(`PosterCdn: captchaScriptUrl "${props.captchaScriptUrl}" is not an https:// URL written out at synth; use the JavaScript integration URL the WAF console (Application integration) shows.`);
  }
  const days = props.noncurrentVersionDays ?? 30;
  if (!Number.isInteger(days) || days < 1) throw new Error(`PosterCdn: noncurrentVersionDays ${days} is invalid; use a whole number of days, at least 1.`);
}

/** A literal https:// URL: the Content-Security-Policy is built from its origin at synth. */
function isHttpsUrl(text: string): boolean {
  if (Token.isUnresolved(text)) return false;
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}
