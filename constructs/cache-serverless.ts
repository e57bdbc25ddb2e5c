import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { CacheSettings } from './cache-defaults.ts';

export interface ServerlessCacheParts {
  readonly name: string;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  readonly encryptionKey: kms.IKey;
  readonly userGroup: elasticache.CfnUserGroup;
}

/**
 * An ElastiCache Serverless cache with the replication group's posture: in the given (isolated) subnets behind
 * the cache security group, encrypted at rest with the cache's key and always in transit (Serverless has no
 * plain-text endpoint), RBAC through the same user group (the only access control Serverless offers), daily
 * snapshots, and usage limits that cap the cost of a runaway client.
 */
export function newServerlessCache(scope: Construct, id: string, settings: CacheSettings, parts: ServerlessCacheParts): elasticache.CfnServerlessCache {
  return new elasticache.CfnServerlessCache(scope, id, {
    serverlessCacheName: parts.name,
    description: `Serverless ${settings.serverlessEngine} of ${scope.node.path}`,
    engine: settings.serverlessEngine,
    majorEngineVersion: settings.serverlessMajorVersion,
    subnetIds: parts.subnetIds,
    securityGroupIds: [parts.securityGroupId],
    kmsKeyId: parts.encryptionKey.keyId,
    // A Valkey cache accepts a user group of engine `redis` (ElastiCache RBAC docs); the group keeps that engine
    // because a `valkey` group may not hold the password-less `default` user that every group needs.
    userGroupId: parts.userGroup.ref,
    dailySnapshotTime: settings.dailySnapshotTime,
    snapshotRetentionLimit: settings.snapshotRetentionDays,
    cacheUsageLimits: {
      dataStorage: { maximum: settings.maxDataStorageGB, unit: 'GB' },
      ecpuPerSecond: { maximum: settings.maxEcpuPerSecond },
    },
  });
}
