import { ArnFormat, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { createLogEncryptionKey } from './log-encryption-key.ts';
import { ManagedPolicyRole } from './managed-policy-role.ts';
import { acknowledge, complianceRules, nagRule } from './nag/acknowledge.ts';
import { prebuiltHandlerCode } from './prebuilt-handler.ts';

export interface DatabaseApiUserProps {
  readonly vpc: ec2.IVpc;
  /** Subnets of the function: it needs routes to the database, Secrets Manager and CloudFormation's response URL (S3). */
  readonly subnets: ec2.SubnetSelection;
  readonly instance: rds.IDatabaseInstance;
  /** The database's group: it admits the function on `port`. */
  readonly databaseSecurityGroup: ec2.ISecurityGroup;
  readonly port: number;
  /** The master user's secret, read by the function only. */
  readonly masterSecret: secretsmanager.ISecret;
  /** Key of the secrets (the function decrypts them through Secrets Manager only). */
  readonly secretKey: kms.IKey;
  /** The schema the user gets privileges on. */
  readonly databaseName: string;
  /** e.g. `ticketkit_api`. */
  readonly user: string;
  /**
   * A second user with the same privileges whose password is in this secret (`{"username","password"}`): the
   * user RDS Proxy signs in as (the proxy authenticates the app by IAM, then the database by this password).
   * @default none
   */
  readonly proxyUserSecret?: secretsmanager.ISecret;
  /** Idempotent SQL the master user runs after the user exists (e.g. binlog retention). @default none */
  readonly adminStatements?: readonly string[];
  /** @default one year */
  readonly logRetention?: logs.RetentionDays;
  /** Key of the function's log group; CloudWatch Logs must be allowed to use it. @default a new log key with rotation */
  readonly logEncryptionKey?: kms.IKey;
  /** Of the function's log group. @default RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The API's least-privilege MySQL user, created by a custom resource whose function runs in the VPC with the
 * master secret (the app never reads it): privileges on its schema only, `IDENTIFIED WITH AWSAuthenticationPlugin
 * AS 'RDS'` (or a password from `passwordSecret`), REQUIRE SSL, from shared/mysql-api-user.ts. Every deployment
 * that changes a property runs the statements again (idempotent); deleting the resource leaves the user.
 */
export class DatabaseApiUser extends Construct {
  public readonly function: lambda.Function;
  public readonly role: ManagedPolicyRole;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly logGroup: logs.LogGroup;
  /** The IAM-authenticated user (`user`). */
  public readonly resource: CustomResource;
  /** The password user of RDS Proxy, when `proxyUserSecret` is given. */
  public readonly proxyUserResource?: CustomResource;
  public readonly user: string;

  constructor(scope: Construct, id: string, props: DatabaseApiUserProps) {
    super(scope, id);
    this.user = props.user;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc: props.vpc, allowAllOutbound: false, description: 'Custom resource that creates the API database user' });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Secrets Manager API and the CloudFormation response URL');
    this.securityGroup.addEgressRule(props.databaseSecurityGroup, ec2.Port.tcp(props.port), 'To MySQL');
    props.databaseSecurityGroup.addIngressRule(this.securityGroup, ec2.Port.tcp(props.port), 'From the custom resource that creates the API user');

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.logEncryptionKey ?? createLogEncryptionKey(this, 'LogKey'),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role = new ManagedPolicyRole(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: 'Creates the API database user' });
    this.role.policy.addStatements(
      new iam.PolicyStatement({ sid: 'WriteLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
      // What AWSLambdaVPCAccessExecutionRole grants, without its logs:* on every group: ENI actions take no resource ARN.
      new iam.PolicyStatement({
        sid: 'VpcNetworkInterfaces',
        actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: ['*'],
      }),
    );
    // Granted in the role's policy, not by secret.grantRead: that would also name the role in the key's policy,
    // and the key (the secrets' and the instance's) would depend on a role whose policy names the secrets.
    const secrets = [props.masterSecret, ...(props.proxyUserSecret ? [props.proxyUserSecret] : [])];
    this.role.policy.addStatements(
      new iam.PolicyStatement({ sid: 'ReadSecrets', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: secrets.map((secret) => secret.secretArn) }),
      new iam.PolicyStatement({
        sid: 'DecryptSecrets',
        actions: ['kms:Decrypt'],
        resources: [props.secretKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );

    this.function = new lambda.Function(this, 'Function', {
      description: `Creates the MySQL user ${props.user} of ${props.databaseName} with the master secret`,
      // The latest Node.js runtime (cdk-nag AwsSolutions-L1); the bundle targets Node.js 22 syntax, so it runs on both.
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: prebuiltHandlerCode(this, 'mysql-api-user'),
      role: this.role,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [this.securityGroup],
      memorySize: 256,
      // Connects (10 s timeout), runs a few statements and always answers CloudFormation well within this.
      timeout: Duration.minutes(2),
      logGroup: this.logGroup,
    });
    // Lambda checks at creation that the role may create network interfaces: the managed policy must be attached first.
    this.function.node.addDependency(this.role.policy);

    const userResource = (id: string, user: string, authentication: string, adminStatements: readonly string[]) => {
      const resource = new CustomResource(this, id, {
        serviceToken: this.function.functionArn,
        resourceType: 'Custom::MysqlApiUser',
        properties: {
          MasterSecretArn: props.masterSecret.secretArn,
          Host: props.instance.dbInstanceEndpointAddress,
          Port: String(props.port),
          Database: props.databaseName,
          User: user,
          Authentication: authentication,
          Flavor: 'mysql',
          RequireTls: 'true',
          AdminStatements: adminStatements,
        },
      });
      // The function must reach MySQL (the ingress rule lives on the database's group) before it is invoked.
      resource.node.addDependency(props.databaseSecurityGroup, this.securityGroup, this.role.policy);
      return resource;
    };
    this.resource = userResource('Resource', props.user, 'iam', props.adminStatements ?? []);
    if (props.proxyUserSecret) {
      this.proxyUserResource = userResource('ProxyUser', proxyUserName(props.user), props.proxyUserSecret.secretArn, []);
    }
    this.acknowledgeFindings();
  }

  /** `arn:aws:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>` of the IAM user on an instance (the primary or a replica). */
  public connectArn(instance: rds.IDatabaseInstance): string {
    // The CloudFormation attribute itself: a replica's `instanceResourceId` is its ARN unless the host app sets
    // @aws-cdk/aws-rds:readReplicaInstanceResourceId, and an ARN would never match.
    const cfnInstance = instance.node.defaultChild;
    const resourceId = cfnInstance instanceof rds.CfnDBInstance ? cfnInstance.attrDbiResourceId : instance.instanceResourceId;
    if (!resourceId) throw new Error(`DatabaseApiUser: ${instance.node.path} has no resource id; pass a DatabaseInstance or a read replica created in this app.`);
    return this.dbUserArn(resourceId, this.user);
  }

  /** `arn:aws:rds-db:<region>:<account>:dbuser:prx-<id>/<proxy user>`: the app's IAM sign-in to RDS Proxy (as CDK's DatabaseProxy.grantConnect builds it). */
  public proxyConnectArn(proxy: rds.IDatabaseProxy): string {
    const proxyId = Stack.of(this).splitArn(proxy.dbProxyArn, ArnFormat.COLON_RESOURCE_NAME).resourceName!;
    return this.dbUserArn(proxyId, this.proxyUser);
  }

  /** The user RDS Proxy signs in as (created only with `proxyUserSecret`). */
  public get proxyUser(): string {
    return proxyUserName(this.user);
  }

  private dbUserArn(resourceId: string, user: string): string {
    return Stack.of(this).formatArn({ service: 'rds-db', resource: 'dbuser', resourceName: `${resourceId}/${user}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }

  private acknowledgeFindings(): void {
    acknowledge(
      this.role.policy,
      [nagRule('AwsSolutions', 'IAM5', 'Resource::*')],
      'EC2 network interface actions of a VPC Lambda (create, describe, delete, assign addresses) support no resource-level ARN; the role has nothing else on *.',
    );
    acknowledge(
      this.function,
      [...complianceRules('LambdaConcurrency', ['NIST.800.53.R5', 'HIPAA.Security']), ...complianceRules('LambdaDLQ', ['NIST.800.53.R5', 'HIPAA.Security'])],
      'Invoked only by CloudFormation during a deployment, once per change of the user: CloudFormation waits for its answer and fails the deployment on an error (no event to lose to a queue), and reserving concurrency could fail in accounts with the default unreserved minimum.',
    );
  }
}

/** RDS Proxy's user beside the IAM user: same privileges, a password only the proxy reads. */
export function proxyUserName(user: string): string {
  return `${user}_proxy`;
}
