import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createLogEncryptionKey } from './log-encryption-key.ts';
import { acknowledge, complianceRules, nagRule } from './nag/acknowledge.ts';
import { DEFAULT_PORTS, isProduction, removalPolicyFor } from './platform-defaults.ts';
import { LoadBalancerIngress } from './web-tier-ingress.ts';

export interface ThreeTierNetworkProps {
  /**
   * Production networks need at least two Availability Zones and get a NAT gateway per zone.
   * @default true
   */
  readonly production?: boolean;
  /**
   * How many Availability Zones the VPC spans (2-3 for a three-tier app).
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * NAT gateways for the app subnets' egress.
   * @default one per Availability Zone in production, one in development
   */
  readonly natGateways?: number;
  /**
   * The VPC's IPv4 range.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * Port the app instances listen on; only the load balancer reaches it.
   * @default 3000
   */
  readonly appPort?: number;
  /**
   * MySQL port; only the app reaches it.
   * @default 3307 (a non-default port)
   */
  readonly databasePort?: number;
  /**
   * Redis port; only the app reaches it.
   * @default 6380 (a non-default port)
   */
  readonly cachePort?: number;
  /**
   * How long VPC flow logs are kept.
   * @default one year
   */
  readonly flowLogRetention?: logs.RetentionDays;
  /**
   * Key that encrypts the flow log group.
   * @default a new customer managed key with rotation
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * Who may reach the load balancer: `LoadBalancerIngress.cloudFrontOnly({ port })` when a CloudFront
   * distribution is its only client, so nobody bypasses the CDN.
   * @default LoadBalancerIngress.internet(): 443 and 80 from any IPv4 address
   */
  readonly loadBalancerIngress?: LoadBalancerIngress;
}

/** Defaults of {@link ThreeTierNetworkProps}, in one place. */
export function threeTierNetworkDefaults(props: ThreeTierNetworkProps) {
  const production = isProduction(props);
  const maxAzs = props.maxAzs ?? 2;
  return {
    production,
    maxAzs,
    natGateways: props.natGateways ?? (production ? maxAzs : 1),
    cidr: props.cidr ?? '10.0.0.0/16',
    appPort: props.appPort ?? DEFAULT_PORTS.app,
    databasePort: props.databasePort ?? DEFAULT_PORTS.database,
    cachePort: props.cachePort ?? DEFAULT_PORTS.cache,
    flowLogRetention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
    loadBalancerIngress: props.loadBalancerIngress ?? LoadBalancerIngress.internet(),
  };
}

function validate(settings: ReturnType<typeof threeTierNetworkDefaults>): void {
  const { production, maxAzs, natGateways } = settings;
  if (!Number.isInteger(maxAzs) || maxAzs < 1 || maxAzs > 6) {
    throw new Error(`ThreeTierNetwork: maxAzs ${maxAzs} is invalid; use a whole number of Availability Zones between 2 and 3.`);
  }
  if (production && maxAzs < 2) {
    throw new Error(`ThreeTierNetwork: maxAzs ${maxAzs} cannot survive the loss of a zone; use maxAzs of 2 or 3 in production (or production: false for a development network).`);
  }
  if (!Number.isInteger(natGateways) || natGateways < 1 || natGateways > maxAzs) {
    throw new Error(`ThreeTierNetwork: natGateways ${natGateways} is invalid; use between 1 and maxAzs (${maxAzs}).`);
  }
  for (const [name, port] of Object.entries({ appPort: settings.appPort, databasePort: settings.databasePort, cachePort: settings.cachePort })) {
    if (!Number.isInteger(port) || port < 1024 || port > 65_535) {
      throw new Error(`ThreeTierNetwork: ${name} ${port} is invalid; use an unprivileged port between 1024 and 65535.`);
    }
  }
}

/**
 * A VPC with three subnet tiers: public (load balancer and NAT only), app (private with egress)
 * and data (isolated), plus flow logs, an S3 gateway endpoint and security groups chained
 * load balancer -> app -> database / cache.
 */
export class ThreeTierNetwork extends Construct {
  public readonly vpc: ec2.Vpc;
  public readonly flowLog: ec2.FlowLog;
  public readonly flowLogGroup: logs.LogGroup;
  public readonly flowLogRole: iam.Role;
  public readonly logEncryptionKey: kms.IKey;
  public readonly s3Endpoint: ec2.GatewayVpcEndpoint;
  public readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  public readonly appSecurityGroup: ec2.SecurityGroup;
  public readonly databaseSecurityGroup: ec2.SecurityGroup;
  public readonly cacheSecurityGroup: ec2.SecurityGroup;
  public readonly appPort: number;
  public readonly databasePort: number;
  public readonly cachePort: number;
  public readonly loadBalancerIngress: LoadBalancerIngress;
  /** Subnets of each tier, for the constructs placed in them. */
  public readonly publicSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PUBLIC };
  public readonly appSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  public readonly dataSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

  constructor(scope: Construct, id: string, props: ThreeTierNetworkProps = {}) {
    super(scope, id);
    const settings = threeTierNetworkDefaults(props);
    validate(settings);
    this.appPort = settings.appPort;
    this.databasePort = settings.databasePort;
    this.cachePort = settings.cachePort;
    this.loadBalancerIngress = settings.loadBalancerIngress;

    this.vpc = new ec2.Vpc(this, 'Resource', {
      ipAddresses: ec2.IpAddresses.cidr(settings.cidr),
      maxAzs: settings.maxAzs,
      natGateways: settings.natGateways,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        // No instance gets a public IP: the load balancer and NAT gateways use their own addresses.
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    for (const subnet of this.vpc.publicSubnets) {
      acknowledge(
        subnet,
        complianceRules('VPCNoUnrestrictedRouteToIGW'),
        'Public subnets route 0.0.0.0/0 to the internet gateway by design: they hold only the internet-facing load balancer and the NAT gateways, never instances or data.',
      );
    }
    this.acknowledgeRestrictDefaultSecurityGroupProvider();

    this.logEncryptionKey = props.logEncryptionKey ?? createLogEncryptionKey(this, 'LogKey');
    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      retention: settings.flowLogRetention,
      encryptionKey: this.logEncryptionKey,
      removalPolicy: removalPolicyFor(settings.production),
    });
    // A customer managed policy instead of CDK's inline one: the role can write to this log group only.
    this.flowLogRole = new iam.Role(this, 'FlowLogRole', { assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com') });
    this.flowLogRole.addManagedPolicy(
      new iam.ManagedPolicy(this, 'FlowLogPolicy', {
        statements: [
          new iam.PolicyStatement({
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            resources: [this.flowLogGroup.logGroupArn],
          }),
        ],
      }),
    );
    this.flowLog = this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup, this.flowLogRole.withoutPolicyUpdates()),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    this.s3Endpoint = this.vpc.addGatewayEndpoint('S3Endpoint', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [this.appSubnets, this.dataSubnets],
    });

    this.loadBalancerSecurityGroup = this.securityGroup(
      'LoadBalancerSecurityGroup',
      this.loadBalancerIngress.fromInternet
        ? 'Internet-facing load balancer: HTTPS and HTTP (redirect) in, app port out'
        : 'Load balancer behind CloudFront: origin port from CloudFront only, app port out',
    );
    this.appSecurityGroup = this.securityGroup('AppSecurityGroup', 'App instances: app port from the load balancer only');
    this.databaseSecurityGroup = this.securityGroup('DatabaseSecurityGroup', 'MySQL: database port from the app only');
    this.cacheSecurityGroup = this.securityGroup('CacheSecurityGroup', 'Redis: cache port from the app only');
    this.chainSecurityGroups();
  }

  private securityGroup(id: string, description: string): ec2.SecurityGroup {
    return new ec2.SecurityGroup(this, id, { vpc: this.vpc, description, allowAllOutbound: false });
  }

  private chainSecurityGroups(): void {
    const lb = this.loadBalancerSecurityGroup;
    // The only group that may admit the internet, and only when no CDN is in front.
    this.loadBalancerIngress.applyTo(lb);
    lb.addEgressRule(this.appSecurityGroup, ec2.Port.tcp(this.appPort), 'To the app instances');

    const app = this.appSecurityGroup;
    app.addIngressRule(lb, ec2.Port.tcp(this.appPort), 'From the load balancer');
    app.addEgressRule(this.databaseSecurityGroup, ec2.Port.tcp(this.databasePort), 'To MySQL');
    app.addEgressRule(this.cacheSecurityGroup, ec2.Port.tcp(this.cachePort), 'To Redis');
    // AWS APIs (Secrets Manager, SSM, CloudWatch, S3) and the npm registry, through NAT or the S3 endpoint.
    app.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs and package registries');

    this.databaseSecurityGroup.addIngressRule(app, ec2.Port.tcp(this.databasePort), 'From the app');
    this.cacheSecurityGroup.addIngressRule(app, ec2.Port.tcp(this.cachePort), 'From the app');
  }

  /** `restrictDefaultSecurityGroup` is a stack-level custom resource provider; its findings are acknowledged beside it. */
  private acknowledgeRestrictDefaultSecurityGroupProvider(): void {
    const provider = Stack.of(this).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    if (!provider) return;
    acknowledge(
      provider,
      [nagRule('AwsSolutions', 'IAM4', 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')],
      'CDK-owned one-shot provider that strips the default security group rules; the AWS managed basic execution role only allows writing its own logs.',
    );
  }
}
