import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type { CustomMonitoringProps, ElastiCacheClusterMonitoringProps, RdsInstanceMonitoringProps } from 'cdk-monitoring-constructs';
import { ElastiCacheClusterType } from 'cdk-monitoring-constructs';
import { above, ALARM_THRESHOLDS as T, atLeast, below, CACHE_MAX_CLIENTS, mysqlMaxConnections } from './monitoring-defaults.ts';

const MINUTE = Duration.minutes(1);
const GiB = 1024 ** 3;

/** One MySQL instance: the primary, or a read replica (which alone reports ReplicaLag). */
export interface MonitoredDatabaseInstance {
  readonly instance: rds.IDatabaseInstance;
  /** Dashboard and alarm name part, e.g. `DatabasePrimary`, `DatabaseReplica1`. */
  readonly name: string;
  readonly replica: boolean;
  /** Memory of the instance class in GiB: the freeable-memory and connection thresholds derive from it. */
  readonly memoryGiB: number;
}

/** CPU and free storage, from cdk-monitoring-constructs' RDS instance monitor (its alarms get the facade's topic). */
export function databaseLibraryMonitoring(db: MonitoredDatabaseInstance): RdsInstanceMonitoringProps {
  return {
    instance: db.instance,
    alarmFriendlyName: db.name,
    humanReadableName: `${db.name} (MySQL)`,
    addCpuUsageAlarm: { Critical: { maxUsagePercent: T.cpuPercent, alarmDescriptionOverride: 'MySQL CPU above 80 % for 15 minutes. Runbook: docs/operations.md.' } },
    addFreeStorageSpaceAlarm: {
      Critical: { minCount: T.freeStorageGiB * GiB, alarmDescriptionOverride: 'Less than 10 GiB of free storage: storage autoscaling is at its maximum or failing. Runbook: docs/operations.md.' },
    },
  };
}

/** What the library's RDS monitor lacks: freeable memory, connections (as a maximum, not a sum), replica lag. */
export function databaseMonitoring(db: MonitoredDatabaseInstance): CustomMonitoringProps {
  const metric = (metricName: string, statistic: string, label: string) =>
    new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName, statistic, dimensionsMap: { DBInstanceIdentifier: db.instance.instanceIdentifier }, period: MINUTE, label });
  const maxConnections = mysqlMaxConnections(db.memoryGiB);
  return {
    alarmFriendlyName: db.name,
    humanReadableName: `${db.name} (MySQL): memory, connections${db.replica ? ', lag' : ''}`,
    metricGroups: [
      {
        title: 'Memory and connections',
        metrics: [
          {
            alarmFriendlyName: 'FreeableMemory',
            metric: metric('FreeableMemory', 'Minimum', 'Freeable memory (bytes)'),
            addAlarm: below(Math.round(db.memoryGiB * T.freeableMemoryFraction * GiB), {
              evaluationPeriods: 5,
              description: `MySQL has less than ${T.freeableMemoryFraction * 100} % of its memory free for 5 minutes: it will swap, then be killed.`,
            }),
          },
          {
            alarmFriendlyName: 'Connections',
            metric: metric('DatabaseConnections', 'Maximum', 'Connections'),
            addAlarm: above(Math.floor(maxConnections * T.connectionsFraction), {
              evaluationPeriods: 5,
              description: `More than ${T.connectionsFraction * 100} % of max_connections (${maxConnections}) in use for 5 minutes: new API connections will be refused.`,
            }),
          },
        ],
      },
      ...(db.replica
        ? [
            {
              title: 'Replication',
              metrics: [
                {
                  alarmFriendlyName: 'ReplicaLag',
                  metric: metric('ReplicaLag', 'Maximum', 'Replica lag (s)'),
                  addAlarm: above(T.replicaLagSeconds, { evaluationPeriods: 5, description: `The read replica trails the primary by more than ${T.replicaLagSeconds} s for 5 minutes: the API reads the primary instead.` }),
                },
              ],
            },
          ]
        : []),
    ],
  };
}

/** The RDS Proxy: failures to reach MySQL, and clients it refused (a credential that rotated under them). */
export function databaseProxyMonitoring(proxyName: string): CustomMonitoringProps {
  const metric = (metricName: string, label: string) =>
    new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName, statistic: 'Sum', dimensionsMap: { ProxyName: proxyName }, period: Duration.minutes(5), label });
  return {
    alarmFriendlyName: 'DatabaseProxy',
    humanReadableName: 'RDS Proxy',
    metricGroups: [
      {
        title: 'Proxy errors',
        metrics: [
          {
            alarmFriendlyName: 'DatabaseConnectionsSetupFailed',
            metric: metric('DatabaseConnectionsSetupFailed', 'Connections to MySQL that failed'),
            addAlarm: atLeast(T.proxyFailuresPer5Minutes, { evaluationPeriods: 1, description: 'The RDS Proxy cannot open connections to MySQL (instance down, credentials out of date, max_connections reached).' }),
          },
          {
            alarmFriendlyName: 'ClientConnectionsSetupFailedAuth',
            metric: metric('ClientConnectionsSetupFailedAuth', 'Clients refused (authentication)'),
            addAlarm: atLeast(T.proxyFailuresPer5Minutes, { evaluationPeriods: 1, description: 'The RDS Proxy refuses API connections for bad credentials: a rotation the API did not follow.' }),
          },
        ],
      },
    ],
  };
}

/**
 * The cache cluster ids (nodes) of a replication group, which is what ElastiCache reports metrics by:
 * `<group>-001`, `-002`, ... without cluster mode, `<group>-0001-001` (shard, node) with it.
 */
export function cacheNodeIds(group: elasticache.CfnReplicationGroup, clusterMode: boolean): string[][] {
  const shards = clusterMode ? (group.numNodeGroups ?? 1) : 1;
  const nodesPerShard = group.numCacheClusters ?? (1 + (group.replicasPerNodeGroup ?? 0));
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return Array.from({ length: shards }, (_, shard) =>
    Array.from({ length: nodesPerShard }, (_, node) => (clusterMode ? `${group.ref}-${pad(shard + 1, 4)}-${pad(node + 1, 3)}` : `${group.ref}-${pad(node + 1, 3)}`)),
  );
}

/** Engine CPU of one node, from cdk-monitoring-constructs' ElastiCache monitor. */
export function cacheNodeLibraryMonitoring(nodeId: string, name: string): ElastiCacheClusterMonitoringProps {
  return {
    clusterId: nodeId,
    clusterType: ElastiCacheClusterType.REDIS,
    alarmFriendlyName: name,
    humanReadableName: `${name} (Redis)`,
    addRedisEngineCpuUsageAlarm: { Critical: { maxUsagePercent: T.cpuPercent, alarmDescriptionOverride: 'The Redis engine thread is above 80 % CPU: holds and seat maps slow down for everyone. Runbook: docs/operations.md.' } },
  };
}

/** What the library's ElastiCache monitor lacks: memory use against noeviction, replication lag, connections. */
export function cacheNodeMonitoring(nodeId: string, name: string, hasReplicas: boolean): CustomMonitoringProps {
  const metric = (metricName: string, label: string) =>
    new cloudwatch.Metric({ namespace: 'AWS/ElastiCache', metricName, statistic: 'Maximum', dimensionsMap: { CacheClusterId: nodeId }, period: MINUTE, label });
  return {
    alarmFriendlyName: name,
    humanReadableName: `${name} (Redis): memory, replication, connections`,
    metricGroups: [
      {
        title: 'Memory and connections',
        metrics: [
          {
            alarmFriendlyName: 'MemoryUsage',
            metric: metric('DatabaseMemoryUsagePercentage', 'Memory used (% of maxmemory)'),
            addAlarm: above(T.cacheMemoryPercent, { evaluationPeriods: 3, description: `Redis uses more than ${T.cacheMemoryPercent} % of maxmemory; with noeviction it refuses every write (holds, sessions) when full.` }),
          },
          {
            alarmFriendlyName: 'Connections',
            metric: metric('CurrConnections', 'Connections'),
            addAlarm: above(T.cacheConnections, { evaluationPeriods: 5, description: `More than ${T.cacheConnections} of ${CACHE_MAX_CLIENTS} Redis clients connected: a connection leak, or far more instances than planned.` }),
          },
        ],
      },
      ...(hasReplicas
        ? [
            {
              title: 'Replication',
              metrics: [
                {
                  alarmFriendlyName: 'ReplicationLag',
                  // Reported by whichever node is a replica at the time; the primary reports nothing.
                  metric: metric('ReplicationLag', 'Replication lag (s)'),
                  addAlarm: above(T.cacheReplicationLagSeconds, { evaluationPeriods: 5, description: `A Redis replica trails its primary by more than ${T.cacheReplicationLagSeconds} s: a failover now would lose holds.` }),
                },
              ],
            },
          ]
        : []),
    ],
  };
}
