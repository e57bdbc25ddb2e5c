import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { cacheDefaults, validateCache } from './cache-defaults.ts';
import { CacheUsers } from './cache-users.ts';
import { createLogEncryptionKey } from './log-encryption-key.ts';
import { acknowledge, nagRule } from './nag/acknowledge.ts';
import { KeyGrantsForAwsServicesOnly } from './key-grant-restriction.ts';
import { logRetentionFor } from './log-retention.ts';
import { removalPolicyFor } from './platform-defaults.ts';

export interface CacheProps {
  readonly vpc: ec2.IVpc;
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
  /** @default '7.1' */
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
  /** Retention of the slow log. @default one year in production (less is refused there), one month in development */
  readonly logRetention?: logs.RetentionDays;
  /** Key of the slow log group; CloudWatch Logs must be allowed to use it. @default a new log key with rotation */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * ElastiCache for Redis replication group in isolated subnets: Multi-AZ with automatic failover,
 * encrypted at rest and in transit, RBAC (the API's ACL-limited user, its password in Secrets Manager;
 * the `default` user off), `noeviction` (holds and sessions are never silently dropped), daily
 * snapshots, optional cluster mode.
 */
export class Cache extends Construct {
  public readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** The RBAC users and their group on the replication group. */
  public readonly users: CacheUsers;
  public readonly encryptionKey: kms.IKey;
  public readonly securityGroup: ec2.ISecurityGroup;
  public readonly subnetGroup: elasticache.CfnSubnetGroup;
  public readonly parameterGroup: elasticache.CfnParameterGroup;
  public readonly slowLogGroup: logs.LogGroup;
  public readonly port: number;
  public readonly clusterMode: boolean;
  /** The keys the API's user may touch. */
  public readonly keyPrefix: string;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    const settings = cacheDefaults(props);
    validateCache(settings);
    this.port = settings.port;
    this.clusterMode = settings.clusterMode;
    const removalPolicy = removalPolicyFor(settings.production);

    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Encrypts ${this.node.path}` });
    this.securityGroup = props.securityGroup ?? new ec2.SecurityGroup(this, 'SecurityGroup', { vpc: props.vpc, allowAllOutbound: false, description: 'Redis' });
    this.keyPrefix = settings.keyPrefix;
    this.users = new CacheUsers(this, 'Users', { keyPrefix: settings.keyPrefix, apiUserName: settings.apiUserName, encryptionKey: this.encryptionKey, removalPolicy });

    this.subnetGroup = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: `Subnets of ${this.node.path}`,
      subnetIds: props.vpc.selectSubnets(props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });
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

    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupDescription: `Redis of ${this.node.path}`,
      engine: 'redis',
      engineVersion: settings.engineVersion,
      cacheNodeType: settings.nodeType,
      port: settings.port,
      cacheSubnetGroupName: this.subnetGroup.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      cacheParameterGroupName: this.parameterGroup.ref,
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
          destinationDetails: { cloudWatchLogsDetails: { logGroup: this.slowLogGroup.logGroupName } },
          logFormat: 'json',
          logType: 'slow-log',
        },
      ],
    });
    // Its keys let AWS services alone create grants (ElastiCache and Secrets Manager do so).
    KeyGrantsForAwsServicesOnly.applyTo(this);
    this.replicationGroup.applyRemovalPolicy(removalPolicyFor(settings.production, RemovalPolicy.SNAPSHOT));
    acknowledge(
      this.replicationGroup,
      [nagRule('AwsSolutions', 'AEC6')],
      'Clients authenticate with ElastiCache RBAC (UserGroupIds: an ACL-limited API user with a password, the default user off), which replaces the AUTH token the rule looks for; the two cannot be set together.',
    );
    if (!settings.multiAz) {
      acknowledge(
        this.replicationGroup,
        [nagRule('AwsSolutions', 'AEC4')],
        'Development cache is one node to keep cost down; production is Multi-AZ with automatic failover and the construct refuses a single node there.',
      );
    }
  }

  /** The API user's secret (`{"username","password"}`): what REDIS_SECRET_ARN names. */
  public get apiUserSecret(): secretsmanager.ISecret {
    return this.users.apiUserSecret;
  }

  /** The Redis user name the API signs in as. */
  public get apiUserName(): string {
    return this.users.apiUser.userName;
  }

  /** Endpoint clients connect to (the configuration endpoint in cluster mode). */
  public get endpointAddress(): string {
    return this.clusterMode ? this.replicationGroup.attrConfigurationEndPointAddress : this.replicationGroup.attrPrimaryEndPointAddress;
  }

  /** The API's REDIS_MODE for this cache: `cluster` makes it use a cluster-aware client seeded from the endpoint. */
  public get redisMode(): 'single' | 'cluster' {
    return this.clusterMode ? 'cluster' : 'single';
  }
}
