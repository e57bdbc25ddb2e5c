import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { cacheDefaults, validateCache } from './cache-defaults.ts';
import { createLogEncryptionKey } from './log-encryption-key.ts';
import { acknowledge, complianceRules, nagRule } from './nag/acknowledge.ts';
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
  /** Key for at-rest encryption and the AUTH token secret. @default a new key with rotation */
  readonly encryptionKey?: kms.IKey;
  /** Key of the slow log group; CloudWatch Logs must be allowed to use it. @default a new log key with rotation */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * ElastiCache for Redis replication group in isolated subnets: Multi-AZ with automatic failover,
 * encrypted at rest and in transit, AUTH token from Secrets Manager, `noeviction` (holds and
 * sessions are never silently dropped), daily snapshots, optional cluster mode.
 */
export class Cache extends Construct {
  public readonly replicationGroup: elasticache.CfnReplicationGroup;
  public readonly authToken: secretsmanager.Secret;
  public readonly encryptionKey: kms.IKey;
  public readonly securityGroup: ec2.ISecurityGroup;
  public readonly subnetGroup: elasticache.CfnSubnetGroup;
  public readonly parameterGroup: elasticache.CfnParameterGroup;
  public readonly slowLogGroup: logs.LogGroup;
  public readonly port: number;
  public readonly clusterMode: boolean;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    const settings = cacheDefaults(props);
    validateCache(settings);
    this.port = settings.port;
    this.clusterMode = settings.clusterMode;
    const removalPolicy = removalPolicyFor(settings.production);

    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Encrypts ${this.node.path}` });
    this.securityGroup = props.securityGroup ?? new ec2.SecurityGroup(this, 'SecurityGroup', { vpc: props.vpc, allowAllOutbound: false, description: 'Redis' });
    this.authToken = new secretsmanager.Secret(this, 'AuthToken', {
      description: `Redis AUTH token of ${this.node.path}`,
      encryptionKey: this.encryptionKey,
      // ElastiCache accepts 16-128 printable characters without @, " or /; alphanumerics also fit a URL unescaped.
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    acknowledge(
      this.authToken,
      [nagRule('AwsSolutions', 'SMG4'), ...complianceRules('SecretsManagerRotationEnabled', ['NIST.800.53.R5', 'HIPAA.Security'])],
      'Rotating a Redis AUTH token needs a coordinated ModifyReplicationGroup ROTATE then SET; it is a runbook step, not a Secrets Manager rotation Lambda.',
    );

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
      retention: logs.RetentionDays.ONE_MONTH,
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
      authToken: this.authToken.secretValue.unsafeUnwrap(), // a {{resolve:secretsmanager}} reference, not the value
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
    this.replicationGroup.applyRemovalPolicy(removalPolicyFor(settings.production, RemovalPolicy.SNAPSHOT));
    if (!settings.multiAz) {
      acknowledge(
        this.replicationGroup,
        [nagRule('AwsSolutions', 'AEC4')],
        'Development cache is one node to keep cost down; production is Multi-AZ with automatic failover and the construct refuses a single node there.',
      );
    }
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
