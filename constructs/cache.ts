import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { cacheDefaults, validateCache, type CacheSettings } from './cache-defaults.ts';
import { newServerlessCache } from './cache-serverless.ts';
import { CacheUsers, elastiCacheId } from './cache-users.ts';
import { createLogEncryptionKey } from './log-encryption-key.ts';
import { acknowledge, nagRule } from './nag/acknowledge.ts';
import { KeyGrantsForAwsServicesOnly } from './key-grant-restriction.ts';
import { logRetentionFor } from './log-retention.ts';
import { removalPolicyFor } from './platform-defaults.ts';

/** How ElastiCache runs the cache: a replication group of chosen nodes, or Serverless (scales itself, always cluster mode). */
export type CacheDeployment = 'replication-group' | 'serverless';

export interface CacheProps {
  readonly vpc: ec2.IVpc;
  /**
   * `serverless`: ElastiCache Serverless (Valkey by default) with the same subnets, security group, KMS key,
   * RBAC user group and snapshots; always cluster mode (REDIS_MODE=cluster), on port 6379 (6380 for its reader
   * endpoint), no parameter group (so no `noeviction`: at `maxDataStorageGB` it evicts keys with a TTL) and
   * no slow log. The node props (nodeType, replicasPerShard, shards, port) are refused with it.
   * @default 'replication-group'
   */
  readonly deployment?: CacheDeployment;
  /**
   * Engine of a serverless cache. Valkey: the same commands and Lua as Redis OSS 7.2, and a lower serverless price.
   * @default 'valkey'
   */
  readonly serverlessEngine?: 'valkey' | 'redis';
  /**
   * Serverless: the most data the cache may hold, in GB (a cost ceiling; alarmed at 75 %).
   * @default 50 in production, 5 in development
   */
  readonly maxDataStorageGB?: number;
  /**
   * Serverless: the most ElastiCache Processing Units per second (a cost ceiling; commands beyond it are throttled, alarmed).
   * @default 1,000,000 in production, 100,000 in development
   */
  readonly maxEcpuPerSecond?: number;
  /**
   * Production: Multi-AZ with automatic failover and at least one replica per shard.
   * @default true
   */
  readonly production?: boolean;
  /** @default the isolated subnets */
  readonly subnets?: ec2.SubnetSelection;
  /** Callers allow their clients on `port`. @default a new group without ingress */
  readonly securityGroup?: ec2.ISecurityGroup;
  /** @default 6380 (a non-default port) */
  readonly port?: number;
  /** @default cache.r7g.large */
  readonly nodeType?: string;
  /** Redis version of the replication group; the major version of a serverless cache. @default '7.1'; serverless: '8' for Valkey, '7' for Redis */
  readonly engineVersion?: string;
  /** Replicas per shard. @default 1 in production, 0 in development */
  readonly replicasPerShard?: number;
  /** Cluster mode (sharding); clients must then use a cluster-aware driver. @default false */
  readonly clusterMode?: boolean;
  /** Shards in cluster mode. @default 2 when clusterMode, else 1 */
  readonly shards?: number;
  /** Daily snapshots kept. @default 15 */
  readonly snapshotRetentionDays?: number;
  /** The API's REDIS_KEY_PREFIX: its Redis user may touch these keys only. @default 'tk:' (the API's default) */
  readonly keyPrefix?: string;
  /** The Redis user the API signs in as (ElastiCache RBAC). @default 'ticketkit-api' */
  readonly apiUserName?: string;
  /** Key for at-rest encryption and the API user's secret. @default a new key with rotation */
  readonly encryptionKey?: kms.IKey;
  /** Retention of the slow log (replication group only). @default one year in production (less is refused there), one month in development */
  readonly logRetention?: logs.RetentionDays;
  /** Key of the slow log group (replication group only); CloudWatch Logs must be allowed to use it. @default a new log key with rotation */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * ElastiCache for Redis replication group in isolated subnets: Multi-AZ with automatic failover,
 * encrypted at rest and in transit, RBAC (the API's ACL-limited user, its password in Secrets Manager;
 * the `default` user off), `noeviction` (holds and sessions are never silently dropped), daily
 * snapshots, optional cluster mode. Or, with `deployment: 'serverless'`, ElastiCache Serverless with
 * the same network, encryption, RBAC and snapshots.
 */
export class Cache extends Construct {
  /** The replication group; none with `deployment: 'serverless'`. */
  public readonly replicationGroup?: elasticache.CfnReplicationGroup;
  /** The serverless cache; none with the default `deployment: 'replication-group'`. */
  public readonly serverlessCache?: elasticache.CfnServerlessCache;
  /** The RBAC users and their group on the cache. */
  public readonly users: CacheUsers;
  public readonly encryptionKey: kms.IKey;
  public readonly securityGroup: ec2.ISecurityGroup;
  /** Replication group only. */
  public readonly subnetGroup?: elasticache.CfnSubnetGroup;
  /** Replication group only (Serverless has no parameter group). */
  public readonly parameterGroup?: elasticache.CfnParameterGroup;
  /** Replication group only (Serverless delivers no slow log). */
  public readonly slowLogGroup?: logs.LogGroup;
  /** The port clients connect to: 6379 for Serverless. */
  public readonly port: number;
  public readonly clusterMode: boolean;
  public readonly deployment: CacheDeployment;
  /** Serverless: its usage ceilings, which the monitoring alarms against. */
  public readonly serverlessLimits?: { readonly maxDataStorageGB: number; readonly maxEcpuPerSecond: number };
  /** The keys the API's user may touch. */
  public readonly keyPrefix: string;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    const settings = cacheDefaults(props);
    validateCache(settings, props);
    this.port = settings.port;
    this.clusterMode = settings.clusterMode;
    this.deployment = settings.deployment;
    const removalPolicy = removalPolicyFor(settings.production);

    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Encrypts ${this.node.path}` });
    this.securityGroup = props.securityGroup ?? new ec2.SecurityGroup(this, 'SecurityGroup', { vpc: props.vpc, allowAllOutbound: false, description: 'Redis' });
    this.keyPrefix = settings.keyPrefix;
    this.users = new CacheUsers(this, 'Users', { keyPrefix: settings.keyPrefix, apiUserName: settings.apiUserName, encryptionKey: this.encryptionKey, removalPolicy });
    const subnetIds = props.vpc.selectSubnets(props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds;

    if (settings.deployment === 'serverless') {
      this.serverlessCache = newServerlessCache(this, 'Resource', settings, {
        name: elastiCacheId(this, 'cache'),
        subnetIds,
        securityGroupId: this.securityGroup.securityGroupId,
        encryptionKey: this.encryptionKey,
        userGroup: this.users.userGroup,
      });
      this.serverlessLimits = { maxDataStorageGB: settings.maxDataStorageGB, maxEcpuPerSecond: settings.maxEcpuPerSecond };
      // No DeletionPolicy Snapshot for a serverless cache: production keeps it (and its daily snapshots) instead.
      this.serverlessCache.applyRemovalPolicy(removalPolicy);
    } else {
      this.subnetGroup = new elasticache.CfnSubnetGroup(this, 'Subnets', { description: `Subnets of ${this.node.path}`, subnetIds });
      this.parameterGroup = new elasticache.CfnParameterGroup(this, 'Parameters', {
        cacheParameterGroupFamily: `redis${settings.engineVersion.split('.')[0]}`,
        description: 'noeviction: seat holds and sessions must fail loudly, never vanish',
        properties: { 'maxmemory-policy': 'noeviction', 'cluster-enabled': settings.clusterMode ? 'yes' : 'no' },
      });
      this.slowLogGroup = new logs.LogGroup(this, 'SlowLog', {
        retention: logRetentionFor(settings.production, props.logRetention),
        encryptionKey: props.logEncryptionKey ?? createLogEncryptionKey(this, 'LogKey'),
        removalPolicy,
      });
      this.replicationGroup = this.createReplicationGroup(settings, this.subnetGroup, this.parameterGroup, this.slowLogGroup);
    }
    // Its keys let AWS services alone create grants (ElastiCache and Secrets Manager do so).
    KeyGrantsForAwsServicesOnly.applyTo(this);
  }

  private createReplicationGroup(
    settings: CacheSettings,
    subnetGroup: elasticache.CfnSubnetGroup,
    parameterGroup: elasticache.CfnParameterGroup,
    slowLogGroup: logs.LogGroup,
  ): elasticache.CfnReplicationGroup {
    const group = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupDescription: `Redis of ${this.node.path}`,
      engine: 'redis',
      engineVersion: settings.engineVersion,
      cacheNodeType: settings.nodeType,
      port: settings.port,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      cacheParameterGroupName: parameterGroup.ref,
      multiAzEnabled: settings.multiAz,
      automaticFailoverEnabled: settings.multiAz || settings.clusterMode,
      numNodeGroups: settings.shards,
      replicasPerNodeGroup: settings.replicasPerShard,
      atRestEncryptionEnabled: true,
      kmsKeyId: this.encryptionKey.keyId,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      // RBAC instead of an AUTH token (the two exclude each other): TLS stays required.
      userGroupIds: [this.users.userGroup.ref],
      snapshotRetentionLimit: settings.snapshotRetentionDays,
      autoMinorVersionUpgrade: true,
      logDeliveryConfigurations: [
        {
          destinationType: 'cloudwatch-logs',
          destinationDetails: { cloudWatchLogsDetails: { logGroup: slowLogGroup.logGroupName } },
          logFormat: 'json',
          logType: 'slow-log',
        },
      ],
    });
    group.applyRemovalPolicy(removalPolicyFor(settings.production, RemovalPolicy.SNAPSHOT));
    acknowledge(
      group,
      [nagRule('AwsSolutions', 'AEC6')],
      'Clients authenticate with ElastiCache RBAC (UserGroupIds: an ACL-limited API user with a password, the default user off), which replaces the AUTH token the rule looks for; the two cannot be set together.',
    );
    if (!settings.multiAz) {
      acknowledge(
        group,
        [nagRule('AwsSolutions', 'AEC4')],
        'Development cache is one node to keep cost down; production is Multi-AZ with automatic failover and the construct refuses a single node there.',
      );
    }
    return group;
  }

  /** The API user's secret (`{"username","password"}`): what REDIS_SECRET_ARN names. */
  public get apiUserSecret(): secretsmanager.ISecret {
    return this.users.apiUserSecret;
  }

  /** The Redis user name the API signs in as. */
  public get apiUserName(): string {
    return this.users.apiUser.userName;
  }

  /** Endpoint clients connect to (the configuration endpoint in cluster mode, the serverless cache's endpoint). */
  public get endpointAddress(): string {
    if (this.serverlessCache) return this.serverlessCache.attrEndpointAddress;
    const group = this.replicationGroup!;
    return this.clusterMode ? group.attrConfigurationEndPointAddress : group.attrPrimaryEndPointAddress;
  }

  /** The API's REDIS_MODE for this cache: `cluster` makes it use a cluster-aware client seeded from the endpoint. */
  public get redisMode(): 'single' | 'cluster' {
    return this.clusterMode ? 'cluster' : 'single';
  }
}
