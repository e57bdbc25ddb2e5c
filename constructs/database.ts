import { Duration, Names, RemovalPolicy, type Duration as DurationType } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { DatabaseApiUser, proxyUserName } from './database-api-user.ts';
import { databaseDefaults, validateDatabase } from './database-defaults.ts';
import { acknowledgeDatabaseFindings } from './database-findings.ts';
import { KeyGrantsForAwsServicesOnly } from './key-grant-restriction.ts';
import { logRetentionFor } from './log-retention.ts';
import { removalPolicyFor } from './platform-defaults.ts';

const RDS_PROXY_MYSQL_PORT = 3306;

export interface DatabaseProps {
  readonly vpc: ec2.IVpc;
  /**
   * Production: Multi-AZ, deletion protection, snapshot on delete.
   * @default true
   */
  readonly production?: boolean;
  /** @default the isolated subnets */
  readonly subnets?: ec2.SubnetSelection;
  /**
   * Subnets of the secret rotation function and of the custom resource that creates the API user (they need
   * routes to Secrets Manager and, for the custom resource, CloudFormation's S3 response URL).
   * @default the private subnets with egress
   */
  readonly rotationSubnets?: ec2.SubnetSelection;
  /** Group of the instance (and proxy); callers allow their clients on `port`. @default a new group without ingress */
  readonly securityGroup?: ec2.ISecurityGroup;
  /** @default 3307 (a non-default port) */
  readonly port?: number;
  /** @default r7g.large */
  readonly instanceType?: ec2.InstanceType;
  /** @default MySQL 8.4.10, the long-term-support line (minor versions upgraded automatically) */
  readonly engineVersion?: rds.MysqlEngineVersion;
  /**
   * What RDS does when the major version leaves standard support: upgrade it (extended support disabled), or
   * keep it running on paid RDS Extended Support. Read replicas follow their source. Set
   * `OPEN_SOURCE_RDS_EXTENDED_SUPPORT` only as a deliberate, budgeted choice while an upgrade is planned.
   * @default rds.EngineLifecycleSupport.OPEN_SOURCE_RDS_EXTENDED_SUPPORT_DISABLED
   */
  readonly engineLifecycleSupport?: rds.EngineLifecycleSupport;
  /** @default 'ticketkit' */
  readonly databaseName?: string;
  /** @default 'ticketkit' */
  readonly username?: string;
  /** @default Multi-AZ in production, single-AZ in development */
  readonly multiAz?: boolean;
  /** @default 100 */
  readonly allocatedStorageGiB?: number;
  /** Storage autoscaling ceiling. @default 1000 */
  readonly maxAllocatedStorageGiB?: number;
  /** @default 14 days */
  readonly backupRetention?: DurationType;
  /** Binary log retention for migration catch-up (applied by `binlogRetentionSql`). @default 24 */
  readonly binlogRetentionHours?: number;
  /** @default true in production */
  readonly deletionProtection?: boolean;
  /** @default 30 days */
  readonly rotationInterval?: DurationType;
  /** @default 0 */
  readonly readReplicas?: number;
  /** Put an RDS Proxy in front, to absorb connection storms during scale-out. @default false */
  readonly proxy?: boolean;
  /** Turn on the general query log (the export is always wired). @default false */
  readonly generalLog?: boolean;
  /** Key for storage, Performance Insights and the credentials secret. @default a new key with rotation */
  readonly encryptionKey?: kms.IKey;
  /**
   * The API's own MySQL user, created by a custom resource with privileges on `databaseName` only. It
   * authenticates with RDS IAM (`rds-db:connect`), or through RDS Proxy with a password from `apiUserSecret`.
   * @default 'ticketkit_api'
   */
  readonly apiUser?: string;
  /** Retention of the log group of the custom resource that creates the API user. @default one year in production (less is refused there), one month in development */
  readonly logRetention?: logs.RetentionDays;
  /** Key of that log group; CloudWatch Logs must be allowed to use it. @default a new log key with rotation */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * RDS for MySQL 8.4 (LTS) in isolated subnets: encrypted, Multi-AZ, TLS-only, rotated credentials in
 * Secrets Manager, backups, enhanced monitoring, Performance Insights, log exports, optional
 * read replicas and RDS Proxy. IAM database authentication is on and GTIDs are on (a replica read can wait
 * for the reader's own write). The API connects as its own least-privilege user (`apiUser`), never as master.
 */
export class Database extends Construct {
  public readonly instance: rds.DatabaseInstance;
  public readonly secret: secretsmanager.ISecret;
  public readonly encryptionKey: kms.IKey;
  public readonly securityGroup: ec2.ISecurityGroup;
  public readonly parameterGroup: rds.ParameterGroup;
  public readonly optionGroup: rds.OptionGroup;
  public readonly rotationSchedule: secretsmanager.RotationSchedule;
  public readonly rotationSecurityGroup: ec2.SecurityGroup;
  public readonly readReplicas: rds.DatabaseInstanceReadReplica[] = [];
  public readonly proxy?: rds.DatabaseProxy;
  public readonly proxySecurityGroup?: ec2.SecurityGroup;
  public readonly port: number;
  public readonly databaseName: string;
  /** SQL the master user runs once the instance exists, so binlogs outlive a migration's catch-up (the API user's custom resource runs it). */
  public readonly binlogRetentionSql: string;
  /** The custom resource that creates the API's user with the master secret. */
  public readonly apiUser: DatabaseApiUser;
  /**
   * With RDS Proxy: the password of the user the proxy signs in as (`<apiUser>_proxy`), read by the proxy
   * alone and rotated; the app signs in to the proxy with RDS IAM, as it does to the instances.
   */
  public readonly proxyUserSecret?: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    // Which resource carries the credentials secret's policy (the rotation's deny-delete statement) has no
    // prop; without this the host app's cdk.json would decide it. Pinned here, before any child exists.
    this.node.setContext(cxapi.SECRETS_MANAGER_TARGET_ATTACHMENT_RESOURCE_POLICY, true);
    const settings = databaseDefaults(props);
    validateDatabase(settings);
    this.port = settings.port;
    this.databaseName = settings.databaseName;
    this.binlogRetentionSql = `CALL mysql.rds_set_configuration('binlog retention hours', ${settings.binlogRetentionHours})`;
    const engine = rds.DatabaseInstanceEngine.mysql({ version: settings.engineVersion });
    const subnets = props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    const rotationSubnets = props.rotationSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Encrypts ${this.node.path}` });
    this.securityGroup = props.securityGroup ?? new ec2.SecurityGroup(this, 'SecurityGroup', { vpc: props.vpc, allowAllOutbound: false, description: 'MySQL' });
    this.parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: 'TLS only, row binlogs with GTIDs, slow query log',
      parameters: {
        require_secure_transport: '1',
        binlog_format: 'ROW',
        // Read-your-writes on a replica waits for the writer's GTID (WAIT_FOR_EXECUTED_GTID_SET). RDS names
        // gtid_mode `gtid-mode`; an existing instance must step OFF_PERMISSIVE -> ON_PERMISSIVE -> ON (docs/cdk.md).
        'gtid-mode': 'ON',
        enforce_gtid_consistency: 'ON',
        slow_query_log: '1',
        long_query_time: '1',
        general_log: settings.generalLog ? '1' : '0',
        log_output: 'FILE',
      },
    });
    this.optionGroup = new rds.OptionGroup(this, 'Options', {
      engine,
      description: 'Audit plugin: connections and schema changes',
      configurations: [{ name: 'MARIADB_AUDIT_PLUGIN', settings: { SERVER_AUDIT_EVENTS: 'CONNECT,QUERY_DDL' } }],
    });

    // What the primary and every read replica share: placement, monitoring, logs, TLS, no public address.
    const common = {
      instanceType: settings.instanceType,
      vpc: props.vpc,
      vpcSubnets: subnets,
      securityGroups: [this.securityGroup],
      port: settings.port,
      parameterGroup: this.parameterGroup,
      deletionProtection: settings.deletionProtection,
      monitoringInterval: Duration.seconds(30),
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: this.encryptionKey,
      cloudwatchLogsExports: ['audit', 'error', 'general', 'slowquery'],
      autoMinorVersionUpgrade: true,
      publiclyAccessible: false,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      // The API user signs in with a 15-minute token from its instance role: no password to rotate or leak.
      iamAuthentication: true,
    };
    this.instance = new rds.DatabaseInstance(this, 'Resource', {
      ...common,
      engine,
      databaseName: settings.databaseName,
      // Characters a URL or a shell would mangle are excluded, so the password drops into DATABASE_URL as is.
      credentials: rds.Credentials.fromGeneratedSecret(settings.username, { encryptionKey: this.encryptionKey, excludeCharacters: settings.excludeCharacters }),
      multiAz: settings.multiAz,
      storageType: rds.StorageType.GP3,
      allocatedStorage: settings.allocatedStorageGiB,
      maxAllocatedStorage: settings.maxAllocatedStorageGiB,
      storageEncrypted: true,
      storageEncryptionKey: this.encryptionKey,
      engineLifecycleSupport: settings.engineLifecycleSupport,
      optionGroup: this.optionGroup,
      backupRetention: settings.backupRetention,
      deleteAutomatedBackups: false,
      copyTagsToSnapshot: true,
      removalPolicy: removalPolicyFor(settings.production, RemovalPolicy.SNAPSHOT),
    });
    this.secret = this.instance.secret!;

    // The hosted rotation function runs in subnets with egress (it calls Secrets Manager) and is the one
    // client besides the app (and the proxy) allowed on the database port.
    this.rotationSecurityGroup = new ec2.SecurityGroup(this, 'RotationSecurityGroup', { vpc: props.vpc, allowAllOutbound: false, description: 'Secret rotation function' });
    this.rotationSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Secrets Manager API');
    this.rotationSecurityGroup.addEgressRule(this.securityGroup, ec2.Port.tcp(settings.port), 'To MySQL');
    this.securityGroup.addIngressRule(this.rotationSecurityGroup, ec2.Port.tcp(settings.port), 'From the secret rotation function');
    // Both secrets (the master's, the proxy user's) rotate alike: single-user, in the VPC, through that group.
    const rotateSingleUser = (secret: secretsmanager.ISecret) =>
      secret.addRotationSchedule('Rotation', {
        automaticallyAfter: settings.rotationInterval,
        hostedRotation: secretsmanager.HostedRotation.mysqlSingleUser({
          vpc: props.vpc,
          vpcSubnets: rotationSubnets,
          securityGroups: [this.rotationSecurityGroup],
          excludeCharacters: settings.excludeCharacters,
        }),
      });
    this.rotationSchedule = rotateSingleUser(this.secret);

    for (let index = 1; index <= settings.readReplicas; index++) {
      this.readReplicas.push(
        new rds.DatabaseInstanceReadReplica(this, `ReadReplica${index}`, {
          ...common,
          sourceDatabaseInstance: this.instance,
          // Encryption (and its key) is inherited from the encrypted source; CloudFormation rejects restating it.
          removalPolicy: removalPolicyFor(settings.production),
        }),
      );
    }

    if (settings.proxy) {
      // RDS Proxy takes the app's IAM token, then signs in to MySQL with a password from a secret it reads: a
      // user of its own with the API's privileges, since an AWSAuthenticationPlugin user has no password.
      const proxyUserSecret = new rds.DatabaseSecret(this, 'ProxyUserSecret', { username: proxyUserName(settings.apiUser), encryptionKey: this.encryptionKey, excludeCharacters: settings.excludeCharacters });
      this.proxyUserSecret = proxyUserSecret.attach(this.instance);
      rotateSingleUser(this.proxyUserSecret);
    }
    this.apiUser = new DatabaseApiUser(this, 'ApiUser', {
      vpc: props.vpc,
      subnets: rotationSubnets,
      instance: this.instance,
      databaseSecurityGroup: this.securityGroup,
      port: settings.port,
      masterSecret: this.secret,
      secretKey: this.encryptionKey,
      databaseName: settings.databaseName,
      user: settings.apiUser,
      proxyUserSecret: this.proxyUserSecret,
      adminStatements: [this.binlogRetentionSql],
      logRetention: logRetentionFor(settings.production, props.logRetention),
      logEncryptionKey: props.logEncryptionKey,
      removalPolicy: removalPolicyFor(settings.production),
    });

    if (settings.proxy) {
      // RDS Proxy always listens on the engine's default port (3306); it gets its own group so callers
      // allow their clients on `endpointPort` and the instance admits only the proxy, app and rotation.
      this.proxySecurityGroup = new ec2.SecurityGroup(this, 'ProxySecurityGroup', { vpc: props.vpc, allowAllOutbound: false, description: 'RDS Proxy' });
      // addProxy itself opens the proxy -> instance path on the instance's port.
      this.proxy = this.instance.addProxy('Proxy', {
        secrets: [this.secret, this.proxyUserSecret!],
        // Clients sign in with RDS IAM tokens (rds-db:connect on the proxy user), never with a password.
        iamAuth: true,
        vpc: props.vpc,
        vpcSubnets: subnets,
        securityGroups: [this.proxySecurityGroup],
        requireTLS: true,
        idleClientTimeout: Duration.minutes(30),
        maxConnectionsPercent: 90,
        borrowTimeout: Duration.seconds(30),
      });
      // Unique per stack and account (CDK names it plain "Proxy" unless the host app sets
      // @aws-cdk/aws-rds:databaseProxyUniqueResourceName), so two stacks in one region never collide.
      (this.proxy.node.defaultChild as rds.CfnDBProxy).dbProxyName = Names.uniqueResourceName(this.proxy, { maxLength: 60 });
    }
    // Its keys let AWS services alone create grants (RDS, Performance Insights, Secrets Manager do so).
    KeyGrantsForAwsServicesOnly.applyTo(this);
    acknowledgeDatabaseFindings(this, settings);
  }

  /** Host clients connect to: the proxy when there is one, else the instance. */
  public get endpointAddress(): string {
    return this.proxy ? this.proxy.endpoint : this.instance.dbInstanceEndpointAddress;
  }

  /** The user the app names in its primary URL: the proxy's user through RDS Proxy, else the IAM user. */
  public get apiUserName(): string {
    return this.proxy ? this.apiUser.proxyUser : this.apiUser.user;
  }

  /**
   * `rds-db:connect` resources the app needs, and nothing more: the primary (or, with RDS Proxy, the proxy's
   * user) and every replica (each its own DbiResourceId).
   */
  public get apiUserConnectArns(): string[] {
    const primary = this.proxy ? this.apiUser.proxyConnectArn(this.proxy) : this.apiUser.connectArn(this.instance);
    return [primary, ...this.readReplicas.map((replica) => this.apiUser.connectArn(replica))];
  }

  /** The replica the API reads lag-tolerant data from (the first), if any. */
  public get readEndpointAddress(): string | undefined {
    return this.readReplicas[0]?.dbInstanceEndpointAddress;
  }

  /** Port clients connect to: RDS Proxy's fixed 3306, else the instance's port. */
  public get endpointPort(): number {
    return this.proxy ? RDS_PROXY_MYSQL_PORT : this.port;
  }

  /** Group clients must be allowed into: the proxy's when there is one, else the instance's. */
  public get endpointSecurityGroup(): ec2.ISecurityGroup {
    return this.proxySecurityGroup ?? this.securityGroup;
  }
}
