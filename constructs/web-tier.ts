import { Duration, type Duration as DurationType } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from './managed-policy-role.ts';
import { acknowledge, complianceRules, nagRule } from './nag/acknowledge.ts';
import { planPrewarm, type OnSaleWindow } from './on-sale-schedule.ts';
import { removalPolicyFor } from './platform-defaults.ts';
import { createSecureBucket } from './secure-bucket.ts';
import { WebAcl } from './web-acl.ts';
import { LoadBalancerIngress } from './web-tier-ingress.ts';
import { createLoadBalancerSecurityGroup, createScalingNotificationsKey, rollingUpdateOptions } from './web-tier-parts.ts';
import { validateWebTier, webTierDefaults } from './web-tier-defaults.ts';

export interface WebTierProps {
  readonly vpc: ec2.IVpc;
  /**
   * Production requires a certificate (HTTPS only), two or more instances and deletion protection.
   * @default true
   */
  readonly production?: boolean;
  /**
   * HTTPS certificate for the listener; without it the tier serves plain HTTP (development only).
   * @default - no certificate
   */
  readonly certificate?: acm.ICertificate;
  /** @default a group admitting `loadBalancerIngress` */
  readonly loadBalancerSecurityGroup?: ec2.ISecurityGroup;
  /**
   * Who may reach the load balancer, when the tier creates its group (not with `loadBalancerSecurityGroup`).
   * Behind CloudFront use `LoadBalancerIngress.cloudFrontOnly({ port })` so nobody bypasses the CDN.
   * @default LoadBalancerIngress.internet(): 443 and 80 from any IPv4 address
   */
  readonly loadBalancerIngress?: LoadBalancerIngress;
  /** @default a group allowing the app port from the load balancer */
  readonly appSecurityGroup?: ec2.ISecurityGroup;
  /** @default the public subnets */
  readonly loadBalancerSubnets?: ec2.SubnetSelection;
  /** @default the private subnets with egress */
  readonly appSubnets?: ec2.SubnetSelection;
  /** Port the app listens on. @default 3000 */
  readonly appPort?: number;
  /** @default m7g.large */
  readonly instanceType?: ec2.InstanceType;
  /** @default the latest Amazon Linux 2023 for the instance type's architecture */
  readonly machineImage?: ec2.IMachineImage;
  /**
   * Boot script of the instances. Its exit code is reported to CloudFormation (cfn-signal, from the
   * aws-cfn-bootstrap package): it should exit 0 only once the app answers `healthCheckPath`, non-zero
   * when it never does, so a fleet that never becomes ready rolls the deploy back.
   * @default - an empty Linux script
   */
  readonly userData?: ec2.UserData;
  /**
   * How long CloudFormation waits for each new instance's signal: for `minCapacity` instances when the
   * group is created, for each batch of a rolling update. Without one in time, the deploy rolls back.
   * @default 15 minutes
   */
  readonly readinessTimeout?: DurationType;
  /** Root volume size (encrypted gp3). @default 20 */
  readonly volumeSizeGiB?: number;
  /** @default 2 */
  readonly minCapacity?: number;
  /** @default 10 */
  readonly maxCapacity?: number;
  /** Minimum size while an on-sale window is open. @default half of maxCapacity (at least minCapacity) */
  readonly prewarmCapacity?: number;
  /** How long before an on-sale the capacity is raised. @default 30 minutes */
  readonly prewarmLead?: DurationType;
  /** Declared on-sale windows, each becoming recurring pre-warm and release scheduled actions (see planPrewarm). @default none */
  readonly onSaleWindows?: readonly OnSaleWindow[];
  /** Target of the request-count target tracking policy. @default 1000 */
  readonly requestsPerTargetPerMinute?: number;
  /** Load balancer health check path, answered only when the app's dependencies answer. @default '/readyz' */
  readonly healthCheckPath?: string;
  /** Match it to the app's graceful shutdown. @default 30 seconds */
  readonly deregistrationDelay?: DurationType;
  /** Time a new instance needs before it counts for scaling and instance refresh. @default 5 minutes */
  readonly instanceWarmup?: DurationType;
  /** WAF rate-based rule: requests per client IP per 5 minutes. @default 2000 */
  readonly rateLimitPer5Minutes?: number;
  /**
   * What the WAF rate rule counts by: `FORWARDED_IP` behind CloudFront, whose edge addresses would otherwise
   * share one budget (it then counts requests whose X-Forwarded-For holds only the viewer address CloudFront wrote).
   * @default 'IP'
   */
  readonly rateLimitKey?: 'IP' | 'FORWARDED_IP';
  /** @default true in production */
  readonly deletionProtection?: boolean;
  /** Bucket for S3 server access logs of the load balancer log bucket. @default - none (acknowledged) */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /** Key that encrypts the WAF log group. @default a new key */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * A header every request must carry to reach the app (e.g. a secret CloudFront adds at its origin);
   * others get 403 from the load balancer. Without it, a security group that admits CloudFront's
   * prefix list admits every CloudFront distribution, not only this stack's.
   * @default - none: the security group alone decides
   */
  readonly requiredHeader?: RequiredHeader;
}

/** A request header and the value it must have; pass secrets as a dynamic reference, never a literal. */
export interface RequiredHeader {
  readonly name: string;
  readonly value: string;
}

/**
 * Internet-facing Application Load Balancer (WAF, access logs, HTTPS with HTTP redirect) in front of
 * an Auto Scaling group of stateless app instances (IMDSv2, encrypted EBS, SSM instead of SSH).
 */
export class WebTier extends Construct {
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly accessLogsBucket: s3.Bucket;
  public readonly httpsListener?: elbv2.ApplicationListener;
  public readonly httpListener: elbv2.ApplicationListener;
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  public readonly webAcl: WebAcl;
  /** The instances' role; grants to it (e.g. cloudformation:SignalResource) land in `role.policy`. */
  public readonly role: ManagedPolicyRole;
  public readonly launchTemplate: ec2.LaunchTemplate;
  public readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  public readonly notificationsTopic: sns.Topic;
  public readonly notificationsKey: kms.Key;
  public readonly scheduledActions: autoscaling.CfnScheduledAction[];
  public readonly userData: ec2.UserData;

  constructor(scope: Construct, id: string, props: WebTierProps) {
    super(scope, id);
    const settings = webTierDefaults(props);
    validateWebTier(settings, props.certificate !== undefined);
    const removalPolicy = removalPolicyFor(settings.production);

    if (props.loadBalancerSecurityGroup && props.loadBalancerIngress) {
      throw new Error('WebTier: loadBalancerIngress only shapes the group WebTier creates; add those rules to your loadBalancerSecurityGroup, or leave it out.');
    }
    const lbSecurityGroup =
      props.loadBalancerSecurityGroup ?? createLoadBalancerSecurityGroup(this, 'LoadBalancerSecurityGroup', props.vpc, props.loadBalancerIngress ?? LoadBalancerIngress.internet());
    const appSecurityGroup = props.appSecurityGroup ?? new ec2.SecurityGroup(this, 'AppSecurityGroup', { vpc: props.vpc, allowAllOutbound: true });
    if (!props.appSecurityGroup) appSecurityGroup.addIngressRule(lbSecurityGroup, ec2.Port.tcp(settings.appPort), 'From the load balancer');

    this.accessLogsBucket = createSecureBucket(this, 'AccessLogs', {
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'alb-logs-bucket/',
      noncurrentVersionExpiration: Duration.days(30),
      removalPolicy,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Resource', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: props.loadBalancerSubnets ?? { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: lbSecurityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: settings.deletionProtection,
    });
    this.loadBalancer.logAccessLogs(this.accessLogsBucket, 'alb');
    if (!settings.deletionProtection) {
      acknowledge(
        this.loadBalancer,
        complianceRules('ELBDeletionProtectionEnabled', ['NIST.800.53.R5', 'HIPAA.Security']),
        'Development load balancers are disposable and deleted with their stack; production enables deletion protection by default.',
      );
    }

    this.role = new ManagedPolicyRole(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'App instances: SSM Session Manager plus the grants of the composing stack',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    acknowledge(
      this.role,
      [nagRule('AwsSolutions', 'IAM4', 'Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore')],
      'AmazonSSMManagedInstanceCore is the AWS-maintained minimum for Session Manager, which replaces SSH on these instances.',
    );
    this.userData = props.userData ?? ec2.UserData.forLinux();
    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      instanceType: settings.instanceType,
      machineImage: settings.machineImage,
      userData: this.userData,
      role: this.role,
      securityGroup: appSecurityGroup,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      detailedMonitoring: true,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(settings.volumeSizeGiB, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true }),
        },
      ],
    });

    this.notificationsKey = createScalingNotificationsKey(this, 'NotificationsKey');
    this.notificationsTopic = new sns.Topic(this, 'Notifications', { masterKey: this.notificationsKey, enforceSSL: true });

    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'Instances', {
      vpc: props.vpc,
      vpcSubnets: props.appSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      launchTemplate: this.launchTemplate,
      minCapacity: settings.minCapacity,
      maxCapacity: settings.maxCapacity,
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod: settings.instanceWarmup,
      }),
      defaultInstanceWarmup: settings.instanceWarmup,
      // CloudFormation reports a create or update done only once instances signal ready (see userData).
      // No DesiredCapacity, and CDK's IgnoreUnmodifiedGroupSizeProperties: a deploy during an on-sale keeps
      // the size the schedule and scaling set.
      signals: autoscaling.Signals.waitForMinCapacity({ timeout: settings.readinessTimeout }),
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate(rollingUpdateOptions(settings)),
      notifications: [{ topic: this.notificationsTopic }],
      terminationPolicies: [autoscaling.TerminationPolicy.OLDEST_LAUNCH_TEMPLATE, autoscaling.TerminationPolicy.DEFAULT],
    });
    // The boot script's exit code becomes the instance's signal (a trap on EXIT runs cfn-signal).
    this.userData.addSignalOnExitCommand(this.autoScalingGroup);

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'AppTargets', {
      vpc: props.vpc,
      port: settings.appPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.INSTANCE,
      targets: [this.autoScalingGroup],
      deregistrationDelay: settings.deregistrationDelay,
      healthCheck: { path: settings.healthCheckPath, healthyHttpCodes: '200', interval: Duration.seconds(10), timeout: Duration.seconds(5), healthyThresholdCount: 2, unhealthyThresholdCount: 3 },
    });
    // The app is stateless (sessions live in Redis): spread every request.
    this.targetGroup.setAttribute('stickiness.enabled', 'false');

    // What the listener that serves the app does by default: forward, or (with a required header) refuse,
    // forwarding only requests that carry the header.
    const serveApp = (listener: elbv2.ApplicationListener): void => {
      if (!props.requiredHeader) {
        listener.addTargetGroups('App', { targetGroups: [this.targetGroup] });
        return;
      }
      listener.addAction('App', {
        priority: 1,
        conditions: [elbv2.ListenerCondition.httpHeader(props.requiredHeader.name, [props.requiredHeader.value])],
        action: elbv2.ListenerAction.forward([this.targetGroup]),
      });
    };
    const refuse = props.requiredHeader
      ? elbv2.ListenerAction.fixedResponse(403, {
          contentType: 'application/json',
          messageBody: '{"error":{"code":"forbidden","message":"Use the site\'s address."}}',
        })
      : undefined;
    if (props.certificate) {
      this.httpsListener = this.loadBalancer.addListener('Https', {
        port: 443,
        // The load balancer's group alone says who may connect (the internet, or CloudFront only).
        open: false,
        certificates: [props.certificate],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        ...(refuse ? { defaultAction: refuse } : {}),
      });
      serveApp(this.httpsListener);
      this.httpListener = this.loadBalancer.addListener('Http', {
        port: 80,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
      });
      acknowledge(
        this.httpListener,
        complianceRules('ELBv2ACMCertificateRequired'),
        'This port 80 listener carries no content: its only action is a permanent redirect to the HTTPS listener, which uses the ACM certificate.',
      );
    } else {
      this.httpListener = this.loadBalancer.addListener('Http', { port: 80, open: false, ...(refuse ? { defaultAction: refuse } : {}) });
      serveApp(this.httpListener);
      acknowledge(
        this.httpListener,
        [...complianceRules('ALBHttpToHttpsRedirection'), ...complianceRules('ELBv2ACMCertificateRequired')],
        'Development tier without a certificate serves plain HTTP; production passes an ACM certificate and only redirects HTTP to HTTPS.',
      );
    }
    this.autoScalingGroup.scaleOnRequestCount('RequestsPerTarget', { targetRequestsPerMinute: settings.requestsPerTargetPerMinute });
    this.scheduledActions = planPrewarm(settings.onSaleWindows, settings.prewarmLead, settings.prewarmCapacity, settings.minCapacity).map(
      (action) =>
        new autoscaling.CfnScheduledAction(this, action.id, {
          autoScalingGroupName: this.autoScalingGroup.autoScalingGroupName,
          recurrence: action.recurrence,
          endTime: action.endTime,
          minSize: action.minSize,
        }),
    );

    this.webAcl = new WebAcl(this, 'WebAcl', { scope: 'REGIONAL', rateLimitPer5Minutes: settings.rateLimitPer5Minutes, rateLimitKey: props.rateLimitKey, logEncryptionKey: props.logEncryptionKey, removalPolicy });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: this.loadBalancer.loadBalancerArn, webAclArn: this.webAcl.arn });
  }
}
