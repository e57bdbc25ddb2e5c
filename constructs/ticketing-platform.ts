import { Aspects, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import type * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ApiArtifact } from './api-artifact.ts';
import { addApiBootCommands } from './api-user-data.ts';
import { AppInstancePolicy } from './app-instance-policy.ts';
import { apiEnvironment, apiSettings, mysqlUrl, type ApiSettingsProps } from './api-environment.ts';
import { Cache, type CacheDeployment } from './cache.ts';
import { SERVERLESS_CACHE_PORTS } from './cache-defaults.ts';
import { applyTags, costAllocationTags } from './cost-allocation-tags.ts';
import { Database } from './database.ts';
import { PlatformMonitoring } from './monitoring.ts';
import { KeyGrantsForAwsServicesOnly } from './key-grant-restriction.ts';
import { LogRetentionForAll, logRetentionFor } from './log-retention.ts';
import { acknowledge, complianceRules, nagRule } from './nag/acknowledge.ts';
import type { OnSaleWindow } from './on-sale-schedule.ts';
import { PlatformDomain } from './platform-domain.ts';
import { PosterCdn } from './poster-cdn.ts';
import { isProduction, removalPolicyFor } from './platform-defaults.ts';
import { ThreeTierNetwork } from './three-tier-network.ts';
import { WaitingRoom } from './waiting-room.ts';
import { WebTier } from './web-tier.ts';
import { LoadBalancerIngress } from './web-tier-ingress.ts';

export interface TicketingPlatformProps extends ApiSettingsProps {
  /**
   * The API the instances run: a self-contained artifact (`ApiArtifact.fromDirectory('dist/api')` after
   * `npm run build:api`), downloaded from the CDK assets bucket at boot and started with Node alone.
   */
  readonly apiArtifact: ApiArtifact;
  /** Node.js major version the instances install (`nodejs<N>` on Amazon Linux 2023). @default 22 */
  readonly nodeMajorVersion?: number;
  /** @default true */
  readonly production?: boolean;
  /**
   * How long every log group of the platform keeps its events: the API's, the Redis slow log, VPC flow logs,
   * WAF, the site deployment and the custom resources. Production refuses less than a year.
   * @default one year in production, one month in development
   */
  readonly logRetention?: logs.RetentionDays;
  /** @default 2 */
  readonly maxAzs?: number;
  /** @default one per AZ in production, one in development */
  readonly natGateways?: number;
  /** Public name of the site (CloudFront). @default - the cloudfront.net name (development only) */
  readonly domainName?: string;
  /** Name of the load balancer that CloudFront reaches over HTTPS. @default 'origin.' + domainName; without domainName, plain HTTP to the load balancer's DNS name */
  readonly originDomainName?: string;
  /**
   * Route 53 zone of `domainName`: certificates are DNS-validated and alias records created in it, so the
   * first deploy needs no manual step. @default - none: the records to create are printed at synth and in an output
   */
  readonly hostedZone?: route53.IHostedZone;
  /** An issued us-east-1 ACM certificate covering `domainName` and `originDomainName`. @default - DNS-validated in `hostedZone` */
  readonly certificateArn?: string;
  /** @default m7g.large */
  readonly instanceType?: string;
  /** @default 2 */
  readonly minCapacity?: number;
  /** @default 10 */
  readonly maxCapacity?: number;
  /** @default half of maxCapacity */
  readonly prewarmCapacity?: number;
  /** @default none */
  readonly onSaleWindows?: readonly OnSaleWindow[];
  /** @default r7g.large */
  readonly databaseInstanceType?: string;
  /** @default 0 */
  readonly readReplicas?: number;
  /** @default false */
  readonly rdsProxy?: boolean;
  /** @default cache.r7g.large */
  readonly cacheNodeType?: string;
  /**
   * Redis in cluster mode (sharded, `cacheShards` shards): the API then connects to the configuration
   * endpoint with REDIS_MODE=cluster. Every key of an event shares one hash tag, so an event stays on one shard.
   * @default false
   */
  readonly cacheClusterMode?: boolean;
  /** Shards in cluster mode. @default 2 when cacheClusterMode, else 1 */
  readonly cacheShards?: number;
  /**
   * `serverless`: ElastiCache Serverless (Valkey) instead of the replication group, with the same subnets, security
   * group, KMS key, RBAC user and snapshots; the API gets its endpoint (port 6379) with REDIS_MODE=cluster, the app may
   * also reach its reader port 6380, and the node props (cacheNodeType, cacheClusterMode, cacheShards) are refused.
   * @default 'replication-group'
   */
  readonly cacheDeployment?: CacheDeployment;
  /** @default - every country */
  readonly allowedCountries?: readonly string[];
  /** CLOUDFRONT-scope web ACL of the distribution (an EdgeStack's, outside us-east-1). @default a new one (us-east-1 only) */
  readonly cloudFrontWebAclArn?: string;
  /** Address of the first admin account, created by the API at start. @default 'admin@' + domainName, or admin@example.com */
  readonly adminEmail?: string;
  /** The built buyer page (`npm run build:web` writes dist/web), served by CloudFront. @default - no page is deployed */
  readonly siteDirectory?: string;
  /**
   * Cost-allocation tags for every taggable resource of the platform, merged over the defaults (a key
   * given here wins). Resources CDK places at the stack root (its custom resource providers) take the
   * stack's tags: use TicketingPlatformStack, or `Tags.of(stack)`, to tag those too.
   * @default { project: 'ticketkit', environment: 'production' or 'development', owner: 'unassigned' }
   */
  readonly tags?: { [key: string]: string };
  /** Email addresses that receive every alarm (and the Auto Scaling notifications). @default none */
  readonly alarmEmails?: readonly string[];
  /** Other subscribers of the notifications topic (a pager's HTTPS endpoint, a chat Lambda). @default none */
  readonly alarmSubscriptions?: readonly sns.ITopicSubscription[];
  /**
   * CloudWatch namespace of the API's business metrics (its METRICS_NAMESPACE): one per environment, so a
   * development stack's failures never page for production. @default 'Ticketkit/' + the stack name
   */
  readonly metricsNamespace?: string;
  /**
   * AWS WAF's CAPTCHA JavaScript integration URL (WAF console, Application integration): with
   * `wafCaptchaApiKey`, the buyer page solves a CAPTCHA before joining a waiting room, the web ACL created here
   * requires it on the join (with `cloudFrontWebAclArn`, set the EdgeStack's `waitingRoomCaptcha`), and the
   * site's CSP allows the integration's origin. @default - no CAPTCHA on the join
   */
  readonly wafCaptchaScriptUrl?: string;
  /**
   * The CAPTCHA API key for the site's domain (`aws wafv2 create-api-key --scope CLOUDFRONT --token-domains <domain>`).
   * AWS documents it as public (the page embeds it), so it is a plain variable, not a secret. @default - none
   */
  readonly wafCaptchaApiKey?: string;
}

/** The API's graceful shutdown (25 s) plus headroom: how long the load balancer drains an instance. */
const DEREGISTRATION_DELAY = Duration.seconds(30);
/** The header by which the load balancer knows a request came through this stack's CloudFront distribution. */
export const ORIGIN_VERIFY_HEADER = 'X-Origin-Verify';

/**
 * The ticketing platform: network, web tier, database, cache and CDN composed, the app role granted
 * least privilege, and the API deployed to the instances from a CDK asset.
 */
export class TicketingPlatform extends Construct {
  public readonly network: ThreeTierNetwork;
  public readonly webTier: WebTier;
  public readonly database: Database;
  public readonly cache: Cache;
  public readonly cdn: PosterCdn;
  public readonly secretsKey: kms.Key;
  /** The value CloudFront sends as ORIGIN_VERIFY_HEADER and the load balancer requires. */
  public readonly originVerify: secretsmanager.Secret;
  public readonly sessionKeys: secretsmanager.Secret;
  public readonly adminPassword: secretsmanager.Secret;
  public readonly apiBundle: s3assets.Asset;
  public readonly appLogGroup: logs.LogGroup;
  /** The waiting room's KeyValueStore, edge function, token keys and stall alarm. */
  public readonly waitingRoom: WaitingRoom;
  /** The site and origin names, certificates and records; none without a domainName (development). */
  public readonly domain?: PlatformDomain;
  /** The dashboard, every alarm (notifying `webTier.notificationsTopic`) and the buyer-path canary. */
  public readonly monitoring: PlatformMonitoring;
  /** Namespace of the API's business metrics. */
  public readonly metricsNamespace: string;

  constructor(scope: Construct, id: string, props: TicketingPlatformProps) {
    super(scope, id);
    apiSettings(props); // refuse out-of-range API settings before building anything
    const production = isProduction(props);
    applyTags(this, costAllocationTags(production, props.tags));
    // Every customer managed key of the platform: kms:CreateGrant only when an AWS service asks for it.
    KeyGrantsForAwsServicesOnly.applyTo(this);
    const logRetention = logRetentionFor(production, props.logRetention);
    Aspects.of(this).add(new LogRetentionForAll(logRetention));
    const removalPolicy = removalPolicyFor(production);
    this.domain = platformDomain(this, props, production);
    // CloudFront is the load balancer's only client: HTTPS to the origin name, else HTTP to its DNS name.
    const loadBalancerIngress = LoadBalancerIngress.cloudFrontOnly({ port: this.domain ? 443 : 80 });
    const serverlessCache = props.cacheDeployment === 'serverless';
    this.network = new ThreeTierNetwork(this, 'Network', {
      production,
      maxAzs: props.maxAzs,
      natGateways: props.natGateways,
      loadBalancerIngress,
      // Serverless listens on its own fixed port: the app -> cache rules follow it.
      cachePort: serverlessCache ? SERVERLESS_CACHE_PORTS.endpoint : undefined,
    });
    const net = this.network;
    this.database = new Database(this, 'Database', {
      vpc: net.vpc,
      production,
      securityGroup: net.databaseSecurityGroup,
      port: net.databasePort,
      subnets: net.dataSubnets,
      rotationSubnets: net.appSubnets,
      instanceType: props.databaseInstanceType ? new ec2.InstanceType(props.databaseInstanceType) : undefined,
      readReplicas: props.readReplicas,
      proxy: props.rdsProxy,
      logRetention,
      logEncryptionKey: net.logEncryptionKey,
    });
    const proxySecurityGroup = this.database.proxySecurityGroup;
    if (proxySecurityGroup) {
      proxySecurityGroup.addIngressRule(net.appSecurityGroup, ec2.Port.tcp(this.database.endpointPort), 'From the app');
      net.appSecurityGroup.addEgressRule(proxySecurityGroup, ec2.Port.tcp(this.database.endpointPort), 'To the RDS Proxy');
    }
    this.cache = new Cache(this, 'Cache', {
      vpc: net.vpc,
      production,
      securityGroup: net.cacheSecurityGroup,
      port: net.cachePort,
      subnets: net.dataSubnets,
      nodeType: props.cacheNodeType,
      clusterMode: props.cacheClusterMode,
      shards: props.cacheShards,
      deployment: props.cacheDeployment,
      logEncryptionKey: net.logEncryptionKey,
      logRetention,
    });
    if (serverlessCache) {
      // The reader endpoint's port, app to cache only: a cluster client may be handed replica addresses on it.
      const reader = ec2.Port.tcp(SERVERLESS_CACHE_PORTS.reader);
      net.cacheSecurityGroup.addIngressRule(net.appSecurityGroup, reader, 'From the app (serverless reader endpoint)');
      net.appSecurityGroup.addEgressRule(net.cacheSecurityGroup, reader, 'To Redis (serverless reader endpoint)');
    }

    this.secretsKey = new kms.Key(this, 'SecretsKey', { enableKeyRotation: true, description: 'Encrypts the API session keys, admin password and CloudFront origin secret' });
    // CloudFront's prefix list admits every distribution; this secret header admits only ours.
    this.originVerify = new secretsmanager.Secret(this, 'OriginVerify', {
      description: `Value of the ${ORIGIN_VERIFY_HEADER} header CloudFront adds to API requests; the load balancer refuses requests without it`,
      encryptionKey: this.secretsKey,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy,
    });
    acknowledge(
      this.originVerify,
      [nagRule('AwsSolutions', 'SMG4'), ...complianceRules('SecretsManagerRotationEnabled', ['NIST.800.53.R5', 'HIPAA.Security'])],
      'Read only by CloudFormation (dynamic references in the distribution and the listener rule), never by the app: a Lambda rotation would leave both stale, so it rotates by a stack update after a new value is put.',
    );
    // A dynamic reference: the template holds {{resolve:secretsmanager:...}}, CloudFormation the value.
    const originVerifyValue = this.originVerify.secretValue.unsafeUnwrap();

    this.webTier = new WebTier(this, 'Web', {
      vpc: net.vpc,
      production,
      certificate: this.domain?.originCertificate,
      loadBalancerSecurityGroup: net.loadBalancerSecurityGroup,
      appSecurityGroup: net.appSecurityGroup,
      loadBalancerSubnets: net.publicSubnets,
      appSubnets: net.appSubnets,
      appPort: net.appPort,
      instanceType: props.instanceType ? new ec2.InstanceType(props.instanceType) : undefined,
      minCapacity: props.minCapacity,
      maxCapacity: props.maxCapacity,
      prewarmCapacity: props.prewarmCapacity,
      onSaleWindows: props.onSaleWindows,
      deregistrationDelay: DEREGISTRATION_DELAY,
      logEncryptionKey: net.logEncryptionKey,
      // CloudFront sits in front: rate-limit the viewer address it appends to X-Forwarded-For, not its edge addresses.
      rateLimitKey: 'FORWARDED_IP',
      requiredHeader: { name: ORIGIN_VERIFY_HEADER, value: originVerifyValue },
    });
    this.metricsNamespace = props.metricsNamespace ?? `Ticketkit/${Stack.of(this).stackName}`;
    this.waitingRoom = new WaitingRoom(this, 'WaitingRoom', {
      encryptionKey: this.secretsKey,
      removalPolicy,
      alarmTopic: this.webTier.notificationsTopic,
      metricsNamespace: this.metricsNamespace,
    });
    this.cdn = new PosterCdn(this, 'Cdn', {
      production,
      domainName: this.domain?.domainName,
      certificate: this.domain?.siteCertificate,
      apiLoadBalancer: this.webTier.loadBalancer,
      apiOriginDomainName: this.domain?.originDomainName,
      allowedCountries: props.allowedCountries,
      webAclArn: props.cloudFrontWebAclArn,
      siteDirectory: props.siteDirectory,
      apiOriginHeaders: { [ORIGIN_VERIFY_HEADER]: originVerifyValue },
      waitingRoomFunction: this.waitingRoom.function,
      captchaScriptUrl: props.wafCaptchaScriptUrl,
    });
    this.domain?.routeTo(this.cdn.distribution, this.webTier.loadBalancer);

    this.sessionKeys = new secretsmanager.Secret(this, 'SessionKeys', {
      description: 'SESSION_KEYS of the API: comma-separated, newest first; prepend a key to rotate without logging users out',
      encryptionKey: this.secretsKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    this.adminPassword = new secretsmanager.Secret(this, 'AdminPassword', {
      description: 'ADMIN_PASSWORD of the first admin account',
      encryptionKey: this.secretsKey,
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
      removalPolicy,
    });
    for (const secret of [this.sessionKeys, this.adminPassword]) {
      acknowledge(
        secret,
        [nagRule('AwsSolutions', 'SMG4'), ...complianceRules('SecretsManagerRotationEnabled', ['NIST.800.53.R5', 'HIPAA.Security'])],
        'Session signing keys rotate by prepending a new key (old cookies stay valid); the bootstrap admin password is changed in the app, not by a Lambda.',
      );
    }
    this.appLogGroup = new logs.LogGroup(this, 'ApiLogs', { retention: logRetention, encryptionKey: net.logEncryptionKey, removalPolicy });
    this.apiBundle = props.apiArtifact.toAsset(this, 'ApiBundle');

    this.grantAppRole();
    const region = Stack.of(this).region;
    addApiBootCommands(this.webTier.userData, {
      bundle: this.apiBundle,
      region,
      environment: {
        ...apiEnvironment({
          port: net.appPort,
          region,
          bucketName: this.cdn.bucket.bucketName,
          publicUrl: this.siteUrl,
          adminEmail: props.adminEmail ?? `admin@${this.domain?.domainName ?? 'example.com'}`,
          // X-Forwarded-For ends "<viewer>, <CloudFront edge>": trusting two hops is only safe while the load balancer admits CloudFront alone.
          trustedProxies: net.loadBalancerIngress.fromInternet ? 1 : 2,
          holdTtl: props.holdTtl,
          maxSeatsPerUser: props.maxSeatsPerUser,
          passwordHashCost: props.passwordHashCost,
          holdRateLimitPerUser: props.holdRateLimitPerUser,
          holdRateLimitPerIp: props.holdRateLimitPerIp,
          loginRateLimitPerIp: props.loginRateLimitPerIp,
          registerRateLimitPerIp: props.registerRateLimitPerIp,
          ...this.databaseUrls(),
          // RBAC: the API's Redis user, its password read by the API from the secret at each new connection.
          // In cluster mode the host is the configuration endpoint, on the port the cache was given.
          redisUrl: `rediss://${encodeURIComponent(this.cache.apiUserName)}@${this.cache.endpointAddress}:${this.cache.port}/0`,
          redisSecretArn: this.cache.apiUserSecret.secretArn,
          redisKeyPrefix: this.cache.keyPrefix,
          redisMode: this.cache.redisMode,
        }),
        METRICS_NAMESPACE: this.metricsNamespace,
        // The waiting room's store and the WAF CAPTCHA integration.
        ...waitingRoomEnvironment(this.waitingRoom, props),
      },
      sessionKeysSecretArn: this.sessionKeys.secretArn,
      adminPasswordSecretArn: this.adminPassword.secretArn,
      waitingRoomTokenKeysSecretArn: this.waitingRoom.tokenKeys.secretArn,
      logGroupName: this.appLogGroup.logGroupName,
      port: net.appPort,
      nodeMajorVersion: props.nodeMajorVersion,
    });
    // Instances sign in as the API user: it exists before the first one boots.
    this.webTier.autoScalingGroup.node.addDependency(this.database.apiUser);
    this.monitoring = this.monitor(props);
    this.addOutputs();
  }

  /** The dashboard and alarms of every tier, on the topic that already carries the Auto Scaling notifications. */
  private monitor(props: TicketingPlatformProps): PlatformMonitoring {
    return new PlatformMonitoring(this, 'Monitoring', {
      production: isProduction(props),
      topic: this.webTier.notificationsTopic,
      topicKey: this.webTier.notificationsKey,
      alarmEmails: props.alarmEmails,
      alarmSubscriptions: props.alarmSubscriptions,
      loadBalancer: this.webTier.loadBalancer,
      targetGroup: this.webTier.targetGroup,
      autoScalingGroup: this.webTier.autoScalingGroup,
      databaseInstance: this.database.instance,
      databaseReplicas: this.database.readReplicas,
      // The class the Database construct chose (its default, or the prop): a lazy value until resolved.
      databaseInstanceClass: Stack.of(this).resolve((this.database.instance.node.defaultChild as rds.CfnDBInstance).dbInstanceClass) as string,
      databaseProxyName: this.database.proxy?.dbProxyName,
      cacheReplicationGroup: this.cache.replicationGroup,
      cacheClusterMode: this.cache.clusterMode,
      cacheServerless: this.cache.serverlessCache && this.cache.serverlessLimits ? { name: this.cache.serverlessCache.serverlessCacheName, ...this.cache.serverlessLimits } : undefined,
      distributionId: this.cdn.distribution.distributionId,
      webAcls: [
        { webAcl: this.webTier.webAcl.webAcl, name: 'LoadBalancerWebAcl' },
        ...(this.cdn.webAcl ? [{ webAcl: this.cdn.webAcl.webAcl, name: 'CloudFrontWebAcl' }] : []),
      ],
      metricsNamespace: this.metricsNamespace,
      siteUrl: this.siteUrl,
      canaryAccessLogsBucket: this.cdn.logsBucket,
    });
  }

  /** The API's MySQL URLs: the primary (RDS Proxy when there is one) and the first replica, signed in with RDS IAM. */
  private databaseUrls(): { databaseUrl: string; databaseReadUrl?: string; databaseIamAuth: true } {
    const db = this.database;
    const databaseUrl = mysqlUrl({ user: db.apiUserName, host: db.endpointAddress, port: db.endpointPort, database: db.databaseName, ssl: db.proxy ? 'true' : 'rds' });
    const replica = db.readEndpointAddress;
    const databaseReadUrl = replica ? mysqlUrl({ user: db.apiUser.user, host: replica, port: db.port, database: db.databaseName, ssl: 'rds' }) : undefined;
    return { databaseUrl, databaseReadUrl, databaseIamAuth: true };
  }

  /** `https://` address of the site: its domain name, or the distribution's. */
  public get siteUrl(): string {
    return this.domain ? `https://${this.domain.domainName}` : this.cdn.url;
  }

  /**
   * What an operator or a migration engineer needs to reach this platform (e.g. to point `bin/migrate` at
   * it), under stable output names: `aws cloudformation describe-stacks --query 'Stacks[0].Outputs'`.
   */
  private addOutputs(): void {
    const outputs: Record<string, [string, string]> = {
      SiteUrl: [this.siteUrl, 'Address of the buyer site'],
      CloudFrontDomain: [this.cdn.distribution.distributionDomainName, 'Domain name of the CloudFront distribution'],
      LoadBalancerDns: [this.webTier.loadBalancer.loadBalancerDnsName, 'DNS name of the API load balancer (reached by CloudFront only)'],
      DatabaseEndpoint: [`${this.database.endpointAddress}:${this.database.endpointPort}`, 'MySQL host:port the API uses (the RDS Proxy when there is one), reachable from the VPC'],
      DatabaseName: [this.database.databaseName, 'MySQL database of the ledger'],
      DatabaseSecretArn: [this.database.secret.secretArn, 'Secrets Manager secret with the MySQL username and password'],
      RedisEndpoint: [`${this.cache.endpointAddress}:${this.cache.port}`, 'Redis host:port (TLS; RBAC users, the API user in the Redis secret), reachable from the VPC'],
      RedisAuthSecretArn: [this.cache.apiUserSecret.secretArn, "Secrets Manager secret with the API's Redis user and password (ElastiCache RBAC)"],
      PosterBucket: [this.cdn.bucket.bucketName, 'S3 bucket of the posters (under posters/) and the buyer page'],
      ApiLogGroup: [this.appLogGroup.logGroupName, 'CloudWatch log group of the API instances'],
      NotificationsTopic: [this.webTier.notificationsTopic.topicArn, 'SNS topic of the alarms and Auto Scaling notifications: subscribe the on-call here'],
    };
    for (const [id, [value, description]] of Object.entries(outputs)) new CfnOutput(this, id, { value, description }).overrideLogicalId(id);
  }

  /** The instances sign in to MySQL as the API user, read their secrets, publish the waiting rooms to the edge, read/write posters, fetch the bundle and write their log group: nothing else. */
  private grantAppRole(): void {
    const policy = new AppInstancePolicy(this, 'AppPolicy', {
      secrets: [this.cache.apiUserSecret, this.sessionKeys, this.adminPassword, this.waitingRoom.tokenKeys],
      secretKeys: [this.cache.encryptionKey, this.secretsKey],
      databaseConnectArns: this.database.apiUserConnectArns,
      posterBucket: this.cdn.bucket,
      posterKey: this.cdn.encryptionKey,
      posterPrefix: 'posters/',
      bundle: this.apiBundle,
      logGroup: this.appLogGroup,
      keyValueStores: [this.waitingRoom.store],
    });
    this.webTier.role.addManagedPolicy(policy.policy);
  }
}

/** WAITING_ROOM_KVS_ARN, and WAF_CAPTCHA_SCRIPT_URL with WAF_CAPTCHA_API_KEY, which the API takes together or not at all. */
function waitingRoomEnvironment(room: WaitingRoom, props: TicketingPlatformProps): Record<string, string> {
  if (Boolean(props.wafCaptchaScriptUrl) !== Boolean(props.wafCaptchaApiKey)) {
    throw new Error('TicketingPlatform: wafCaptchaScriptUrl and wafCaptchaApiKey go together (the integration URL and the API key for the site domain, from the WAF console or `aws wafv2 create-api-key`); pass both or neither.');
  }
  const environment = { ...room.apiEnvironment };
  if (props.wafCaptchaScriptUrl && props.wafCaptchaApiKey) Object.assign(environment, { WAF_CAPTCHA_SCRIPT_URL: props.wafCaptchaScriptUrl, WAF_CAPTCHA_API_KEY: props.wafCaptchaApiKey });
  return environment;
}

/** The platform's names and certificates, validated against what production needs; none in development without a domain. */
function platformDomain(scope: Construct, props: TicketingPlatformProps, production: boolean): PlatformDomain | undefined {
  if (!props.domainName) {
    if (production) {
      throw new Error('TicketingPlatform: production needs domainName and either hostedZone (hostedZoneId + zoneName in cdk.json context) or certificateArn (a us-east-1 ACM certificate covering both names); set them in cdk.json context.');
    }
    for (const [name, value] of Object.entries({ originDomainName: props.originDomainName, hostedZone: props.hostedZone, certificateArn: props.certificateArn })) {
      if (value) throw new Error(`TicketingPlatform: ${name} needs domainName, the site's public name; set domainName or leave ${name} out.`);
    }
    return undefined;
  }
  return new PlatformDomain(scope, 'Domain', {
    domainName: props.domainName,
    originDomainName: props.originDomainName,
    hostedZone: props.hostedZone,
    certificateArn: props.certificateArn,
  });
}
