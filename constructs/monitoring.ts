import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { DefaultDashboardFactory, MonitoringFacade, SnsAlarmActionStrategy, type AlarmWithAnnotation } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { BuyerPathCanary } from './buyer-path-canary.ts';
import { businessMonitoring } from './monitoring-alarms-business.ts';
import { cacheNodeIds, cacheNodeLibraryMonitoring, cacheNodeMonitoring, databaseLibraryMonitoring, databaseMonitoring, databaseProxyMonitoring, type MonitoredDatabaseInstance } from './monitoring-alarms-data.ts';
import { serverlessCacheMonitoring, type MonitoredServerlessCache } from './monitoring-alarms-serverless-cache.ts';
import { cloudFrontMonitoring, CLOUDFRONT_METRICS_REGION, webAclMonitoring } from './monitoring-alarms-edge.ts';
import { autoScalingMonitoring, enableGroupMetrics, loadBalancerMonitoring } from './monitoring-alarms-web.ts';
import { ALARM_THRESHOLDS, instanceMemoryGiB } from './monitoring-defaults.ts';
import { isProduction, removalPolicyFor } from './platform-defaults.ts';

export interface PlatformMonitoringProps {
  /** Names the dashboard and prefixes every alarm name (unique per account and region). @default the stack name */
  readonly name?: string;
  /** Where every alarm, and its return to OK, is sent. */
  readonly topic: sns.ITopic;
  /** The topic's KMS key, if it is encrypted: CloudWatch is allowed to use it (only for this account's alarms). @default - an unencrypted topic */
  readonly topicKey?: kms.IKey;
  /** Email addresses subscribed to the topic (each confirms by the link AWS sends). @default none */
  readonly alarmEmails?: readonly string[];
  /** Other subscribers of the topic (a chat webhook's Lambda, a pager's HTTPS endpoint, an SQS queue). @default none */
  readonly alarmSubscriptions?: readonly sns.ITopicSubscription[];
  /** @default true */
  readonly production?: boolean;

  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** Its group metrics (desired, in service, pending, min, max) are turned on. */
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;

  readonly databaseInstance: rds.IDatabaseInstance;
  /** @default none */
  readonly databaseReplicas?: readonly rds.IDatabaseInstance[];
  /** Instance class of the primary and its replicas, e.g. `db.r7g.large`: memory and max_connections thresholds derive from it. */
  readonly databaseInstanceClass: string;
  /** Memory of that class in GiB, for a class the kit's table does not know. @default - from databaseInstanceClass */
  readonly databaseMemoryGiB?: number;
  /** Name of the RDS Proxy in front of the primary. @default - no proxy */
  readonly databaseProxyName?: string;

  /** The cache's replication group: every node is watched. Give this or `cacheServerless`. @default - none */
  readonly cacheReplicationGroup?: elasticache.CfnReplicationGroup;
  /** @default false */
  readonly cacheClusterMode?: boolean;
  /** An ElastiCache Serverless cache (no nodes): its data, ECPUs and throttling are watched instead. @default - none */
  readonly cacheServerless?: MonitoredServerlessCache;

  /** The site's CloudFront distribution. */
  readonly distributionId: string;
  /** Web ACLs whose blocked requests are watched; a CLOUDFRONT-scope ACL alarms only in a us-east-1 stack. @default none */
  readonly webAcls?: readonly { readonly webAcl: wafv2.CfnWebACL; readonly name: string }[];

  /** Namespace of the API's business metrics (its METRICS_NAMESPACE). */
  readonly metricsNamespace: string;

  /** `https://` address the canary walks (the site's). */
  readonly siteUrl: string;
  /** Receives the S3 server access logs of the canary's artifacts bucket (an SSE-S3 bucket). */
  readonly canaryAccessLogsBucket: s3.IBucket;
}

/**
 * A CloudWatch dashboard of the environment and alarms for every tier, all notifying one SNS topic (and
 * again when they return to OK): load balancer, Auto Scaling, MySQL (instances, replicas, proxy), Redis
 * (every node, or the serverless cache), CloudFront, WAF, the API's business metrics, and a Synthetics canary walking the buyer's
 * path every 5 minutes. Built on cdk-monitoring-constructs' MonitoringFacade: its RDS and ElastiCache
 * monitors where they fit, its custom monitoring for the rest, so every alarm goes through one factory
 * and one action. Thresholds and what to do: docs/operations.md.
 */
export class PlatformMonitoring extends Construct {
  public readonly facade: MonitoringFacade;
  public readonly dashboard: cloudwatch.Dashboard;
  public readonly canary: BuyerPathCanary;
  /** Whether CloudFront's 5xx alarm is here (a us-east-1 stack) or only graphed (its alarm belongs in a us-east-1 stack). */
  public readonly cloudFrontAlarmed: boolean;

  constructor(scope: Construct, id: string, props: PlatformMonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const name = props.name ?? stack.stackName;
    const production = isProduction(props);
    this.subscribe(props);
    this.allowAlarmsToPublish(props.topic, props.topicKey);

    const dashboards = new DefaultDashboardFactory(this, 'Dashboards', { dashboardNamePrefix: name, createDashboard: true, createSummaryDashboard: false, createAlarmDashboard: false, detailDashboardRange: Duration.hours(6) });
    this.facade = new MonitoringFacade(this, 'Facade', {
      alarmFactoryDefaults: { actionsEnabled: true, alarmNamePrefix: name, action: new SnsAlarmActionStrategy({ onAlarmTopic: props.topic, onOkTopic: props.topic }) },
      metricFactoryDefaults: {},
      dashboardFactory: dashboards,
    });
    this.dashboard = dashboards.dashboard!;

    this.canary = new BuyerPathCanary(this, 'BuyerPathCanary', { siteUrl: props.siteUrl, accessLogsBucket: props.canaryAccessLogsBucket, removalPolicy: removalPolicyFor(production, RemovalPolicy.RETAIN) });
    this.monitorCanary();

    this.facade.addLargeHeader(`${name}: the buyer's path, then each tier from the edge to the data`);
    enableGroupMetrics(props.autoScalingGroup);
    this.facade.monitorCustom(loadBalancerMonitoring(props.loadBalancer, props.targetGroup));
    this.facade.monitorCustom(autoScalingMonitoring(props.autoScalingGroup));
    this.monitorDatabase(props);
    this.monitorCache(props);

    const region = stack.region;
    // CloudWatch refuses an alarm on another region's metric: CloudFront's alarm is legal only in us-east-1.
    this.cloudFrontAlarmed = !Token.isUnresolved(region) && region === CLOUDFRONT_METRICS_REGION;
    this.facade.monitorCustom(cloudFrontMonitoring(props.distributionId, this.cloudFrontAlarmed));
    const acls = (props.webAcls ?? []).map((acl) => ({ ...acl, alarm: acl.webAcl.scope === 'REGIONAL' || this.cloudFrontAlarmed }));
    if (acls.length > 0) this.facade.monitorCustom(webAclMonitoring(acls, region));

    this.facade.monitorCustom(businessMonitoring(props.metricsNamespace));
  }

  /** Every alarm created here, by the library's monitors and the custom ones alike. */
  public get alarms(): AlarmWithAnnotation[] {
    return this.facade.createdAlarms();
  }

  private subscribe(props: PlatformMonitoringProps): void {
    for (const email of props.alarmEmails ?? []) props.topic.addSubscription(new subscriptions.EmailSubscription(email));
    for (const subscription of props.alarmSubscriptions ?? []) props.topic.addSubscription(subscription);
  }

  /**
   * CloudWatch publishes as its service principal: an SNS topic with a policy of its own (enforceSSL makes
   * one) and a customer managed key must both admit it, limited to this account's alarms.
   */
  private allowAlarmsToPublish(topic: sns.ITopic, key?: kms.IKey): void {
    const stack = Stack.of(this);
    const cloudwatchPrincipal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const thisAccountsAlarms = {
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      StringEquals: { 'aws:SourceAccount': stack.account },
    };
    topic.addToResourcePolicy(new iam.PolicyStatement({ sid: 'CloudWatchAlarmsPublish', principals: [cloudwatchPrincipal], actions: ['sns:Publish'], resources: [topic.topicArn], conditions: thisAccountsAlarms }));
    key?.addToResourcePolicy(
      new iam.PolicyStatement({ sid: 'CloudWatchAlarmsEncrypt', principals: [cloudwatchPrincipal], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'], conditions: thisAccountsAlarms }),
    );
  }

  private monitorCanary(): void {
    const canary = this.canary.canary;
    this.facade.monitorCustom({
      alarmFriendlyName: 'BuyerPathCanary',
      humanReadableName: "Buyer's path (Synthetics canary: home → event → seat map, every 5 minutes)",
      metricGroups: [
        {
          title: 'Successful runs (%)',
          metrics: [
            {
              alarmFriendlyName: 'SuccessPercent',
              metric: canary.metricSuccessPercent({ period: Duration.minutes(5), statistic: 'Average' }),
              addAlarm: {
                Critical: {
                  threshold: 100,
                  comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
                  evaluationPeriods: ALARM_THRESHOLDS.canaryFailedRuns,
                  datapointsToAlarm: ALARM_THRESHOLDS.canaryFailedRuns,
                  // A canary that stopped running is as blind as one that fails.
                  treatMissingDataOverride: cloudwatch.TreatMissingData.BREACHING,
                  alarmDescriptionOverride: 'The buyer path (home, event, seat map through CloudFront) failed twice in a row. Runbook: docs/operations.md.',
                },
              },
            },
          ],
        },
        { title: 'Duration (ms)', metrics: [canary.metricDuration({ period: Duration.minutes(5), statistic: 'Average' })] },
      ],
    });
  }

  private monitorDatabase(props: PlatformMonitoringProps): void {
    const memoryGiB = props.databaseMemoryGiB ?? instanceMemoryGiB(props.databaseInstanceClass);
    if (memoryGiB === undefined) {
      throw new Error(`PlatformMonitoring: the memory of database instance class "${props.databaseInstanceClass}" is unknown; pass databaseMemoryGiB (its memory in GiB).`);
    }
    const instances: MonitoredDatabaseInstance[] = [
      { instance: props.databaseInstance, name: 'DatabasePrimary', replica: false, memoryGiB },
      ...(props.databaseReplicas ?? []).map((instance, index) => ({ instance, name: `DatabaseReplica${index + 1}`, replica: true, memoryGiB })),
    ];
    for (const db of instances) {
      this.facade.monitorRdsInstance(databaseLibraryMonitoring(db));
      this.facade.monitorCustom(databaseMonitoring(db));
    }
    if (props.databaseProxyName) this.facade.monitorCustom(databaseProxyMonitoring(props.databaseProxyName));
  }

  private monitorCache(props: PlatformMonitoringProps): void {
    if (props.cacheServerless) this.facade.monitorCustom(serverlessCacheMonitoring(props.cacheServerless));
    if (!props.cacheReplicationGroup) return;
    const shards = cacheNodeIds(props.cacheReplicationGroup, props.cacheClusterMode ?? false);
    shards.forEach((nodes, shard) => {
      nodes.forEach((nodeId, node) => {
        const name = shards.length > 1 ? `CacheShard${shard + 1}Node${node + 1}` : `CacheNode${node + 1}`;
        this.facade.monitorElastiCacheCluster(cacheNodeLibraryMonitoring(nodeId, name));
        this.facade.monitorCustom(cacheNodeMonitoring(nodeId, name, nodes.length > 1));
      });
    });
  }
}
