import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { metricNames } from '../../app/metrics/business-metrics.ts';
import { BUYER_PATH_CANARY_SCRIPT } from '../../constructs/buyer-path-canary-script.ts';
import { API_DEPENDENCIES, BUSINESS_METRIC_NAMES } from '../../constructs/monitoring-alarms-business.ts';
import { cloudFrontMonitoring } from '../../constructs/monitoring-alarms-edge.ts';
import { instanceMemoryGiB, mysqlMaxConnections } from '../../constructs/monitoring-defaults.ts';
import { logicalId, synthesisePlatform, type SynthesisedPlatform } from './support/cdk-app.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Alarm = {
  AlarmName: string;
  AlarmActions: unknown[];
  OKActions: unknown[];
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData: string;
  EvaluationPeriods: number;
  Namespace?: string;
  MetricName?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Metrics?: { Id: string; Expression?: string; MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: unknown }[] }; Stat: string } }[];
};

let prod: SynthesisedPlatform;
let dev: SynthesisedPlatform;
beforeAll(() => {
  prod = synthesisePlatform('prod');
  dev = synthesisePlatform('dev');
});

function alarms(platform: SynthesisedPlatform): Alarm[] {
  return Object.values(platform.template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>).map((r) => r.Properties as unknown as Alarm);
}

/** The alarm whose name is `<stack>-<suffix>-Critical`. */
function alarm(platform: SynthesisedPlatform, suffix: string): Alarm {
  const found = alarms(platform).filter((a) => a.AlarmName === `${platform.stack.stackName}-${suffix}-Critical`);
  expect(found, suffix).toHaveLength(1);
  return found[0]!;
}

/** Namespace, metric name and dimensions of a single-metric alarm, whichever form the library rendered. */
function watched(a: Alarm): { namespace: string; metricName: string; dimensions: Record<string, unknown>; statistic: string } {
  const stat = a.Metrics?.find((m) => m.MetricStat)?.MetricStat;
  const dims = stat ? stat.Metric.Dimensions : a.Dimensions;
  return {
    namespace: stat ? stat.Metric.Namespace : a.Namespace!,
    metricName: stat ? stat.Metric.MetricName : a.MetricName!,
    dimensions: Object.fromEntries((dims ?? []).map((d) => [d.Name, d.Value])),
    statistic: stat ? stat.Stat : (a.Statistic ?? a.ExtendedStatistic!),
  };
}

function topicRef(platform: SynthesisedPlatform) {
  return { Ref: logicalId(platform.stack, platform.stack.platform.webTier.notificationsTopic) };
}

function expectOnTopic(platform: SynthesisedPlatform, a: Alarm): void {
  expect(a.AlarmActions, a.AlarmName).toEqual([topicRef(platform)]);
  expect(a.OKActions, a.AlarmName).toEqual([topicRef(platform)]);
}

describe('every alarm notifies the topic', () => {
  it('in prod and dev, every AWS::CloudWatch::Alarm (the library-made ones too) has the notifications topic as alarm and OK action', () => {
    for (const platform of [prod, dev]) {
      const all = alarms(platform);
      expect(all.length).toBeGreaterThan(20);
      for (const a of all) expectOnTopic(platform, a);
      // The waiting room's stall alarm is the one made outside the monitoring construct.
      expect(platform.stack.platform.monitoring.alarms).toHaveLength(all.length - 1);
      expect(all.filter((a) => a.AlarmName.endsWith('-WaitingRoom-Stalled'))).toHaveLength(1);
    }
    // Prod watches a read replica, the proxy and two Redis nodes more than dev.
    expect(alarms(prod)).toHaveLength(35);
    expect(alarms(dev)).toHaveLength(23);
  });

  it('lets CloudWatch publish to the topic and use its key, for this account’s alarms only', () => {
    const topic = topicRef(prod).Ref;
    prod.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '111111111111' } }) }),
        ]),
      },
    });
    prod.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
  });
});

describe('load balancer and Auto Scaling', () => {
  it('alarms on ELB 5xx, target 5xx, unhealthy hosts, p99 response time and rejected connections', () => {
    const lb = { 'Fn::GetAtt': [logicalId(prod.stack, prod.stack.platform.webTier.loadBalancer), 'LoadBalancerFullName'] };
    const expected: [string, string, string, number][] = [
      ['LoadBalancer-Elb5xx', 'HTTPCode_ELB_5XX_Count', 'Sum', 10],
      ['LoadBalancer-Target5xx', 'HTTPCode_Target_5XX_Count', 'Sum', 10],
      ['LoadBalancer-UnhealthyHosts', 'UnHealthyHostCount', 'Maximum', 1],
      ['LoadBalancer-TargetResponseTimeP99', 'TargetResponseTime', 'p99', 1],
      ['LoadBalancer-RejectedConnections', 'RejectedConnectionCount', 'Sum', 1],
    ];
    for (const [suffix, metricName, statistic, threshold] of expected) {
      const a = alarm(prod, suffix);
      expect(watched(a)).toMatchObject({ namespace: 'AWS/ApplicationELB', metricName, statistic, dimensions: { LoadBalancer: lb } });
      expect(a.Threshold, suffix).toBe(threshold);
      expectOnTopic(prod, a);
    }
    expect(watched(alarm(prod, 'LoadBalancer-Target5xx')).dimensions).toHaveProperty('TargetGroup');
  });

  it('alarms when fewer instances are in service than desired for 15 minutes, on group metrics it turns on', () => {
    const a = alarm(prod, 'AutoScaling-InServiceBelowDesired');
    expect(a.Metrics?.find((m) => m.Expression)?.Expression).toBe('desired - inService');
    expect(a.Metrics?.map((m) => m.MetricStat?.Metric.MetricName).filter(Boolean).sort()).toEqual(['GroupDesiredCapacity', 'GroupInServiceInstances']);
    expect(a).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 15 });
    expectOnTopic(prod, a);
    prod.template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MetricsCollection: [{ Granularity: '1Minute', Metrics: Match.arrayWith(['GroupDesiredCapacity', 'GroupInServiceInstances']) }],
    });
  });
});

describe('MySQL', () => {
  it('alarms on CPU, free storage, freeable memory and connections of the primary and each replica', () => {
    const { database } = prod.stack.platform;
    const ids = [database.instance, ...database.readReplicas].map((instance) => ({ Ref: logicalId(prod.stack, instance) }));
    expect(ids).toHaveLength(2);
    // db.r7g.large: 16 GiB, max_connections 1365.
    const expected: [string, string, number][] = [
      ['CPU-Usage', 'CPUUtilization', 80],
      ['Min-Usage-Count', 'FreeStorageSpace', 10 * 1024 ** 3],
      ['FreeableMemory', 'FreeableMemory', Math.round(1.6 * 1024 ** 3)],
      ['Connections', 'DatabaseConnections', Math.floor(1365 * 0.8)],
    ];
    for (const [index, name] of ['DatabasePrimary', 'DatabaseReplica1'].entries()) {
      for (const [suffix, metricName, threshold] of expected) {
        const a = alarm(prod, `${name}-${suffix}`);
        expect(watched(a)).toMatchObject({ namespace: 'AWS/RDS', metricName, dimensions: { DBInstanceIdentifier: ids[index] } });
        expect(a.Threshold, `${name}-${suffix}`).toBe(threshold);
        expectOnTopic(prod, a);
      }
    }
    expect(watched(alarm(prod, 'DatabasePrimary-Connections')).statistic).toBe('Maximum');
  });

  it('alarms on replica lag for each replica only, and on the proxy’s errors when there is a proxy', () => {
    const lag = alarm(prod, 'DatabaseReplica1-ReplicaLag');
    expect(watched(lag)).toMatchObject({ namespace: 'AWS/RDS', metricName: 'ReplicaLag', dimensions: { DBInstanceIdentifier: { Ref: logicalId(prod.stack, prod.stack.platform.database.readReplicas[0]!) } } });
    expect(lag.Threshold).toBe(30);
    expect(alarms(prod).filter((a) => a.AlarmName.includes('ReplicaLag'))).toHaveLength(1);
    for (const metricName of ['DatabaseConnectionsSetupFailed', 'ClientConnectionsSetupFailedAuth']) {
      const a = alarm(prod, `DatabaseProxy-${metricName}`);
      expect(watched(a)).toMatchObject({ namespace: 'AWS/RDS', metricName, statistic: 'Sum', dimensions: { ProxyName: expect.anything() } });
      expect(a.Threshold).toBe(5);
      expectOnTopic(prod, a);
    }
    // Dev has neither replica nor proxy.
    expect(alarms(dev).filter((a) => /ReplicaLag|DatabaseProxy/.test(a.AlarmName))).toEqual([]);
  });

  it('derives memory and max_connections from the instance class', () => {
    expect(instanceMemoryGiB('db.r7g.large')).toBe(16);
    expect(instanceMemoryGiB('db.t4g.medium')).toBe(4);
    expect(instanceMemoryGiB('cache.r7g.2xlarge')).toBe(64);
    expect(instanceMemoryGiB('db.z1d.large')).toBeUndefined();
    expect(mysqlMaxConnections(16)).toBe(1365);
  });
});

describe('Redis', () => {
  it('alarms on engine CPU, memory use well before noeviction refuses writes, connections and replication lag, per node', () => {
    const group = { Ref: logicalId(prod.stack, prod.stack.platform.cache) };
    for (const [node, nodeId] of [
      [1, '001'],
      [2, '002'],
    ] as const) {
      const cluster = { 'Fn::Join': ['', [group, `-${nodeId}`]] };
      const expected: [string, string, number][] = [
        ['CPU-Usage-RedisEngine', 'EngineCPUUtilization', 80],
        ['MemoryUsage', 'DatabaseMemoryUsagePercentage', 75],
        ['Connections', 'CurrConnections', 52_000],
        ['ReplicationLag', 'ReplicationLag', 5],
      ];
      for (const [suffix, metricName, threshold] of expected) {
        const a = alarm(prod, `CacheNode${node}-${suffix}`);
        expect(watched(a)).toMatchObject({ namespace: 'AWS/ElastiCache', metricName, dimensions: { CacheClusterId: cluster } });
        expect(a.Threshold, suffix).toBe(threshold);
        expectOnTopic(prod, a);
      }
    }
    // Dev's single node has no replica to lag.
    expect(alarms(dev).filter((a) => a.AlarmName.includes('Cache'))).toHaveLength(3);
  });
});

describe('CloudFront and WAF', () => {
  it('alarms on the 5xx error rate read from us-east-1 under Region=Global (the stack is in us-east-1)', () => {
    const a = alarm(prod, 'CloudFront-ErrorRate5xx');
    expect(watched(a)).toMatchObject({ namespace: 'AWS/CloudFront', metricName: '5xxErrorRate', statistic: 'Average', dimensions: { Region: 'Global', DistributionId: expect.anything() } });
    expect(a.Threshold).toBe(5);
    expectOnTopic(prod, a);
  });

  it('outside us-east-1 only graphs CloudFront (CloudWatch alarms cannot watch another region)', () => {
    const graphed = cloudFrontMonitoring('E123', false).metricGroups[0]!.metrics[0]!;
    expect(graphed).not.toHaveProperty('addAlarm');
    expect(graphed).toMatchObject({ region: 'us-east-1', dimensions: { DistributionId: 'E123', Region: 'Global' } });
    expect(cloudFrontMonitoring('E123', true).metricGroups[0]!.metrics[0]).toHaveProperty('addAlarm');
  });

  it('alarms on blocked-request spikes of both web ACLs, by their visibility metric name', () => {
    const { webTier, cdn } = prod.stack.platform;
    for (const [suffix, acl, region] of [
      ['Waf-LoadBalancerWebAclBlocked', webTier.webAcl.webAcl, 'us-east-1'],
      ['Waf-CloudFrontWebAclBlocked', cdn.webAcl!.webAcl, undefined],
    ] as const) {
      const a = alarm(prod, suffix);
      const metricName = (acl.visibilityConfig as { metricName: string }).metricName;
      expect(watched(a)).toMatchObject({ namespace: 'AWS/WAFV2', metricName: 'BlockedRequests', statistic: 'Sum', dimensions: { WebACL: metricName, Rule: 'ALL' } });
      expect(watched(a).dimensions['Region']).toBe(region);
      expect(a.Threshold).toBe(1000);
      expectOnTopic(prod, a);
    }
  });
});

describe('business metrics', () => {
  it('graphs every metric the API emits, under the names it emits them', () => {
    expect([...BUSINESS_METRIC_NAMES].sort()).toEqual([...metricNames].sort());
  });

  it('alarms on purchase failures, ledger-refused sales and 503s by dependency, in the environment’s namespace, missing data not breaching', () => {
    const namespace = 'Ticketkit/Ticketkit-prod';
    const expected: [string, string, Record<string, string>, number][] = [
      ['Business-PurchaseFailures', 'PurchaseFailures', {}, 3],
      ['Business-LedgerRefusedSales', 'LedgerRefusedSales', {}, 1],
      ...API_DEPENDENCIES.map((dependency) => [`Business-DependencyUnavailable-${dependency}`, 'DependencyUnavailable', { Dependency: dependency }, 5] as [string, string, Record<string, string>, number]),
    ];
    for (const [suffix, metricName, dimensions, threshold] of expected) {
      const a = alarm(prod, suffix);
      expect(watched(a)).toEqual({ namespace, metricName, statistic: 'Sum', dimensions });
      expect(a).toMatchObject({ Threshold: threshold, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
      expectOnTopic(prod, a);
    }
    expect(watched(alarm(dev, 'Business-PurchaseFailures')).namespace).toBe('Ticketkit/Ticketkit-dev');
  });

  it('tells the API its namespace (METRICS_NAMESPACE in its systemd unit)', () => {
    const templates = prod.template.findResources('AWS::EC2::LaunchTemplate');
    expect(JSON.stringify(templates)).toContain('METRICS_NAMESPACE=Ticketkit/Ticketkit-prod');
  });
});

describe('dashboard', () => {
  it('is one dashboard per environment, named after the stack, graphing every tier', () => {
    for (const platform of [prod, dev]) {
      const dashboards = Object.values(platform.template.findResources('AWS::CloudWatch::Dashboard') as Record<string, Resource>);
      expect(dashboards).toHaveLength(1);
      expect(dashboards[0]!.Properties['DashboardName']).toBe(platform.stack.stackName);
      const body = JSON.stringify(dashboards[0]!.Properties['DashboardBody']);
      for (const needle of ['AWS/ApplicationELB', 'AWS/AutoScaling', 'AWS/RDS', 'AWS/ElastiCache', 'AWS/CloudFront', 'AWS/WAFV2', 'CloudWatchSynthetics', 'HoldsGranted', 'SeatsSold']) {
        expect(body, needle).toContain(needle);
      }
    }
  });
});

describe('buyer-path canary', () => {
  it('walks the site through CloudFront every 5 minutes on a current Puppeteer runtime, with KMS-encrypted artifacts', () => {
    const canary = prod.stack.platform.monitoring.canary;
    prod.template.hasResourceProperties('AWS::Synthetics::Canary', {
      RuntimeVersion: 'syn-nodejs-puppeteer-13.0',
      Schedule: { Expression: 'rate(5 minutes)' },
      RunConfig: Match.objectLike({ EnvironmentVariables: { SITE_URL: 'https://tickets.example.com' } }),
      Code: Match.objectLike({ Handler: 'index.handler' }),
      ArtifactConfig: { S3Encryption: { EncryptionMode: 'SSE_KMS', KmsKeyArn: Match.anyValue() } },
    });
    prod.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } })] },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'canary-artifacts/' }),
    });
    prod.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(prod.stack, canary.artifactsBucket) },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('never holds or buys', () => {
    expect(BUYER_PATH_CANARY_SCRIPT).not.toMatch(/\/hold|\/purchase|\/orders|method:\s*'POST'/i);
    for (const step of ["'home'", "'event'", "'seat map'"]) expect(BUYER_PATH_CANARY_SCRIPT).toContain(step);
  });

  it('alarms when two runs in a row fail, or when it stops reporting', () => {
    const a = alarm(prod, 'BuyerPathCanary-SuccessPercent');
    expect(watched(a)).toMatchObject({ namespace: 'CloudWatchSynthetics', metricName: 'SuccessPercent', dimensions: { CanaryName: expect.anything() } });
    expect(a).toMatchObject({ Threshold: 100, ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 2, TreatMissingData: 'breaching' });
    expectOnTopic(prod, a);
  });
});
