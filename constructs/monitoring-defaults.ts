import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { CustomThreshold } from 'cdk-monitoring-constructs';

/**
 * The thresholds of the platform's alarms, in one place. Each says what "wrong" is for an on-call engineer
 * paged at night: sustained (several datapoints), and early enough to act before buyers notice.
 */
export const ALARM_THRESHOLDS = {
  /** Load balancer 5xx (its own, or the targets') per minute, 3 of 5 minutes. */
  loadBalancer5xxPerMinute: 10,
  /** Target response time p99, seconds, 5 minutes in a row (the hold path answers in milliseconds). */
  targetResponseTimeP99Seconds: 1,
  /** Instances in service below the desired count for this long: longer than a launch plus warm-up. */
  inServiceBelowDesiredFor: Duration.minutes(15),
  /** Percent: CPU of the MySQL instances and Redis engine thread, 3 of 3 five-minute periods. */
  cpuPercent: 80,
  /** Fraction of the instance's memory below which FreeableMemory alarms. */
  freeableMemoryFraction: 0.1,
  /** GiB of free storage; storage autoscaling acts at 10 %, so this fires only when it cannot. */
  freeStorageGiB: 10,
  /** Fraction of max_connections (RDS's default formula for the instance class). */
  connectionsFraction: 0.8,
  /** Seconds a read replica may trail the primary (reads of the catalogue tolerate less than this). */
  replicaLagSeconds: 30,
  /** RDS Proxy failures to open a connection to MySQL / to authenticate a client, per 5 minutes. */
  proxyFailuresPer5Minutes: 5,
  /**
   * Percent of maxmemory in use: with maxmemory-policy noeviction a full Redis refuses every write
   * (holds, sessions), so alarm with a quarter of the memory left.
   */
  cacheMemoryPercent: 75,
  /** Seconds a Redis replica may trail its primary. */
  cacheReplicationLagSeconds: 5,
  /** ElastiCache accepts 65,000 clients per node. */
  cacheConnections: 52_000,
  /** Fraction of a serverless cache's ECPU/s ceiling, 5 minutes in a row. */
  serverlessEcpuFraction: 0.8,
  /** Commands a serverless cache throttles per minute, 2 of 3 minutes. */
  serverlessThrottledPerMinute: 1,
  /** CloudFront 5xx error rate, percent of requests, 3 of 3 five-minute periods. */
  cloudFront5xxPercent: 5,
  /** Requests a web ACL blocks per 5 minutes before it counts as a spike (an attack, or a rule hitting buyers). */
  wafBlockedPer5Minutes: 1000,
  /** Purchases that failed (the ledger unreachable, or refused), per 5 minutes. */
  purchaseFailuresPer5Minutes: 3,
  /** Sales the ledger refused because Redis was wrong: one is a bug that cost a buyer their seats. */
  ledgerRefusedSales: 1,
  /** 503s answered because a dependency was unreachable, per dependency per 5 minutes. */
  dependencyUnavailablePer5Minutes: 5,
  /** Two failed canary runs in a row (the canary runs every 5 minutes). */
  canaryFailedRuns: 2,
} as const;

/** RDS MySQL's default max_connections: {DBInstanceClassMemory/12582880}. */
const BYTES_PER_MYSQL_CONNECTION = 12_582_880;
/** ElastiCache's `maxclients`, fixed per node. */
export const CACHE_MAX_CLIENTS = 65_000;

/** GiB of memory per vCPU of the instance families the kit offers (db.*, cache.*, EC2 names alike). */
const GIB_PER_VCPU: Record<string, number> = { r: 8, m: 4, c: 2, x: 16 };
/** Burstable (t) sizes have their own memory. */
const BURSTABLE_GIB: Record<string, number> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, '2xlarge': 32 };

/**
 * Memory of an instance class such as `db.r7g.large`, `cache.t4g.micro` or `m7g.2xlarge`, in GiB, or
 * undefined for a class this table does not know (the caller then needs an explicit threshold).
 */
export function instanceMemoryGiB(instanceClass: string): number | undefined {
  const match = /^(?:db\.|cache\.)?([a-z])\d+[a-z-]*\.(\w+)$/.exec(instanceClass);
  if (!match) return undefined;
  const [, family, size] = match as unknown as [string, string, string];
  if (family === 't') return BURSTABLE_GIB[size];
  const perVcpu = GIB_PER_VCPU[family];
  const vcpus = size === 'large' ? 2 : size === 'xlarge' ? 4 : /^(\d+)xlarge$/.test(size) ? 4 * Number(size.replace('xlarge', '')) : undefined;
  return perVcpu !== undefined && vcpus !== undefined ? perVcpu * vcpus : undefined;
}

/** RDS MySQL's default max_connections for an instance class (nominal memory; RDS reserves a little). */
export function mysqlMaxConnections(memoryGiB: number): number {
  return Math.floor((memoryGiB * 1024 ** 3) / BYTES_PER_MYSQL_CONNECTION);
}

export interface ThresholdOptions {
  /** How many of the last `evaluationPeriods` datapoints must breach. @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** @default 3 */
  readonly evaluationPeriods?: number;
  /** @default NOT_BREACHING: a quiet metric (no requests, no replica yet, no sales) is not an incident */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
  /** What the alarm means, for the notification (the runbook in docs/operations.md has the steps). */
  readonly description: string;
}

function threshold(comparisonOperator: cloudwatch.ComparisonOperator, value: number, options: ThresholdOptions): Record<string, CustomThreshold> {
  const evaluationPeriods = options.evaluationPeriods ?? 3;
  return {
    Critical: {
      threshold: value,
      comparisonOperator,
      evaluationPeriods,
      datapointsToAlarm: options.datapointsToAlarm ?? evaluationPeriods,
      treatMissingDataOverride: options.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescriptionOverride: `${options.description} Runbook: docs/operations.md.`,
    },
  };
}

/** An alarm when the metric reaches `value` or more. */
export function atLeast(value: number, options: ThresholdOptions): Record<string, CustomThreshold> {
  return threshold(cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, value, options);
}

/** An alarm when the metric goes above `value`. */
export function above(value: number, options: ThresholdOptions): Record<string, CustomThreshold> {
  return threshold(cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD, value, options);
}

/** An alarm when the metric falls below `value`. */
export function below(value: number, options: ThresholdOptions): Record<string, CustomThreshold> {
  return threshold(cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, value, options);
}
