import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { CustomMonitoringProps } from 'cdk-monitoring-constructs';
import { above, ALARM_THRESHOLDS as T, atLeast } from './monitoring-defaults.ts';

const MINUTE = Duration.minutes(1);
const GB = 1000 ** 3;

/** An ElastiCache Serverless cache and the ceilings it was given (CacheProps maxDataStorageGB, maxEcpuPerSecond). */
export interface MonitoredServerlessCache {
  /** Its ServerlessCacheName: what its metrics are published under (dimension `clusterId`). */
  readonly name: string;
  readonly maxDataStorageGB: number;
  readonly maxEcpuPerSecond: number;
}

/**
 * A serverless cache has no nodes (no engine CPU, no replication lag): its alarms are on what it reports per
 * cache, under the `clusterId` dimension (not the nodes' CacheClusterId): data against the storage ceiling
 * (where it starts evicting keys with a TTL, holds among them), ECPUs against their ceiling, and throttled commands.
 */
export function serverlessCacheMonitoring(cache: MonitoredServerlessCache): CustomMonitoringProps {
  const metric = (metricName: string, statistic: string, label: string) =>
    new cloudwatch.Metric({ namespace: 'AWS/ElastiCache', metricName, statistic, dimensionsMap: { clusterId: cache.name }, period: MINUTE, label });
  const ecpuPerMinute = cache.maxEcpuPerSecond * 60;
  return {
    alarmFriendlyName: 'CacheServerless',
    humanReadableName: 'Cache (ElastiCache Serverless): data, ECPUs, throttling',
    metricGroups: [
      {
        title: 'Usage against the ceilings',
        metrics: [
          {
            alarmFriendlyName: 'DataStored',
            metric: metric('BytesUsedForCache', 'Maximum', 'Data stored (bytes)'),
            addAlarm: above(Math.round(cache.maxDataStorageGB * GB * (T.cacheMemoryPercent / 100)), {
              evaluationPeriods: 3,
              description: `The serverless cache holds more than ${T.cacheMemoryPercent} % of its ${cache.maxDataStorageGB} GB ceiling; at the ceiling it evicts keys with a TTL (holds) and refuses other writes: raise maxDataStorageGB.`,
            }),
          },
          {
            alarmFriendlyName: 'ProcessingUnits',
            metric: metric('ElastiCacheProcessingUnits', 'Sum', 'ECPUs per minute'),
            addAlarm: above(Math.round(ecpuPerMinute * T.serverlessEcpuFraction), {
              evaluationPeriods: 5,
              description: `The serverless cache uses more than ${T.serverlessEcpuFraction * 100} % of its ${cache.maxEcpuPerSecond} ECPU/s ceiling for 5 minutes; beyond it commands are throttled: raise maxEcpuPerSecond.`,
            }),
          },
          {
            alarmFriendlyName: 'ThrottledCommands',
            metric: metric('ThrottledCmds', 'Sum', 'Throttled commands'),
            addAlarm: atLeast(T.serverlessThrottledPerMinute, {
              evaluationPeriods: 3,
              datapointsToAlarm: 2,
              description: 'ElastiCache throttles the serverless cache (the ECPU ceiling, or a rush faster than it scales): holds answer 503.',
            }),
          },
        ],
      },
    ],
  };
}
