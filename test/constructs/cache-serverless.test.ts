import { App as CdkApp, type App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { Cache } from '../../constructs/cache.ts';
import { addNagPacks } from '../../constructs/nag/packs.ts';
import { readValidationSummary } from '../../constructs/nag/validation-summary.ts';
import { readPlatformEnvironment } from '../../constructs/platform-environment.ts';
import { TicketingPlatform } from '../../constructs/ticketing-platform.ts';
import { committedContext, newStack, testApiArtifact } from './support/cdk-app.ts';
import { ingressRules, launchTemplateUserData } from './support/security-groups.ts';
import { testVpc } from './support/vpc.ts';

const certificateArn = 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-4000-8000-000000000000';

type Json = Record<string, unknown>;
type MetricStat = { Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: unknown }[] }; Stat: string };

/** Namespace, metric name and dimensions of a single-metric alarm, whichever form the library rendered. */
function watched(a: Json): { namespace: unknown; metricName: unknown; dimensions: unknown } {
  const stat = (a['Metrics'] as { MetricStat?: MetricStat }[] | undefined)?.find((m) => m.MetricStat)?.MetricStat;
  return stat
    ? { namespace: stat.Metric.Namespace, metricName: stat.Metric.MetricName, dimensions: stat.Metric.Dimensions }
    : { namespace: a['Namespace'], metricName: a['MetricName'], dimensions: a['Dimensions'] };
}

/** A production platform on ElastiCache Serverless, synthesised once under the four cdk-nag packs. */
function synthServerlessPlatform() {
  const stack = newStack();
  const app = stack.node.scope as App;
  const platform = new TicketingPlatform(stack, 'Platform', { apiArtifact: testApiArtifact(), domainName: 'tickets.example.org', certificateArn, cacheDeployment: 'serverless' });
  addNagPacks(app);
  app.synth();
  const template = Template.fromStack(stack);
  return { stack, app, platform, template, userData: launchTemplateUserData(template) };
}

describe('a platform on ElastiCache Serverless', () => {
  let synthesised: ReturnType<typeof synthServerlessPlatform>;
  beforeAll(() => {
    synthesised = synthServerlessPlatform();
  });

  it('creates a Valkey serverless cache with the KMS key, isolated subnets, cache security group, RBAC user group and daily snapshots, and no replication group', () => {
    const { stack, platform, template } = synthesised;
    template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 0);
    template.resourceCountIs('AWS::ElastiCache::ParameterGroup', 0);
    template.resourceCountIs('AWS::ElastiCache::SubnetGroup', 0);
    template.resourceCountIs('AWS::ElastiCache::ServerlessCache', 1);
    const dataSubnetIds = stack.resolve(platform.network.vpc.selectSubnets(platform.network.dataSubnets).subnetIds) as unknown[];
    template.hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      Engine: 'valkey',
      MajorEngineVersion: '8',
      KmsKeyId: stack.resolve(platform.cache.encryptionKey.keyId),
      SubnetIds: dataSubnetIds,
      SecurityGroupIds: [stack.resolve(platform.network.cacheSecurityGroup.securityGroupId)],
      UserGroupId: { Ref: stack.getLogicalId(platform.cache.users.userGroup) },
      DailySnapshotTime: '04:00',
      SnapshotRetentionLimit: 15,
      CacheUsageLimits: { DataStorage: { Maximum: 50, Unit: 'GB' }, ECPUPerSecond: { Maximum: 1_000_000 } },
    });
    expect(dataSubnetIds.length).toBeGreaterThanOrEqual(2);
    // The isolated subnets the database uses: no route to the internet.
    expect(platform.network.dataSubnets).toEqual({ subnetType: 'Isolated' });
    // Production keeps the cache (Serverless has no DeletionPolicy Snapshot; its daily snapshots stay).
    template.hasResource('AWS::ElastiCache::ServerlessCache', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    // RBAC as on the replication group: the default user off, the API user limited by its ACL.
    template.hasResourceProperties('AWS::ElastiCache::User', { UserName: 'default', AccessString: 'off -@all' });
    template.hasResourceProperties('AWS::ElastiCache::UserGroup', { Engine: 'redis', UserIds: Match.arrayWith([{ Ref: stack.getLogicalId(platform.cache.users.defaultUser) }]) });
  });

  it('gives the instances the serverless endpoint on 6379 with REDIS_MODE=cluster, and the app alone reaches 6379 and the reader port 6380', () => {
    const { stack, platform, template, userData } = synthesised;
    const id = stack.getLogicalId(platform.cache.serverlessCache!);
    expect(userData).toContain('Environment="REDIS_MODE=cluster"');
    expect(userData).toContain(`{"Fn::GetAtt":["${id}","Endpoint.Address"]}}:6379/0`);
    expect(userData).not.toMatch(/PrimaryEndPoint|ConfigurationEndPoint/);
    const cacheGroup = stack.getLogicalId(platform.network.cacheSecurityGroup.node.defaultChild as never);
    const appGroup = stack.getLogicalId(platform.network.appSecurityGroup.node.defaultChild as never);
    const intoCache = ingressRules(template).filter((r) => r.group === cacheGroup);
    expect(intoCache.map((r) => [r.source, r.fromPort, r.toPort]).sort()).toEqual([
      [appGroup, 6379, 6379],
      [appGroup, 6380, 6380],
    ]);
  });

  it('watches the cache by its clusterId (data, ECPUs, throttling), every alarm on the notifications topic, and no node alarms', () => {
    const { stack, platform, template } = synthesised;
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => r['Properties'] as Json);
    const cacheAlarms = alarms.filter((a) => String(a['AlarmName']).includes('Cache'));
    expect(cacheAlarms.map((a) => watched(a).metricName).sort()).toEqual(['BytesUsedForCache', 'ElastiCacheProcessingUnits', 'ThrottledCmds']);
    const name = platform.cache.serverlessCache!.serverlessCacheName;
    for (const a of cacheAlarms) {
      expect(watched(a).namespace).toBe('AWS/ElastiCache');
      expect(watched(a).dimensions).toEqual([{ Name: 'clusterId', Value: name }]);
    }
    const bytes = cacheAlarms.find((a) => watched(a).metricName === 'BytesUsedForCache')!;
    expect(bytes['Threshold']).toBe(50 * 1000 ** 3 * 0.75);
    const topic = { Ref: stack.getLogicalId(platform.webTier.notificationsTopic.node.defaultChild as never) };
    for (const a of alarms) {
      expect(a['AlarmActions'], String(a['AlarmName'])).toEqual([topic]);
      expect(a['OKActions'], String(a['AlarmName'])).toEqual([topic]);
    }
  });

  it('has zero unacknowledged cdk-nag findings under the four packs', () => {
    for (const summary of readValidationSummary(synthesised.app.outdir)) expect(summary.unacknowledged, summary.plugin).toEqual([]);
  });
});

describe('Cache with deployment: serverless', () => {
  it('in development uses smaller ceilings, deletes with the stack, and takes Redis OSS 7 when asked', () => {
    const stack = newStack();
    new Cache(stack, 'Cache', { vpc: testVpc(stack), production: false, deployment: 'serverless', serverlessEngine: 'redis' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      Engine: 'redis',
      MajorEngineVersion: '7',
      CacheUsageLimits: { DataStorage: { Maximum: 5, Unit: 'GB' }, ECPUPerSecond: { Maximum: 100_000 } },
    });
    template.hasResource('AWS::ElastiCache::ServerlessCache', { DeletionPolicy: 'Delete' });
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
  });

  it('is cluster mode on 6379, reached at its endpoint', () => {
    const stack = newStack();
    const cache = new Cache(stack, 'Cache', { vpc: testVpc(stack), deployment: 'serverless' });
    expect(cache.redisMode).toBe('cluster');
    expect(cache.port).toBe(6379);
    expect(cache.replicationGroup).toBeUndefined();
    expect(stack.resolve(cache.endpointAddress)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(cache.serverlessCache!), 'Endpoint.Address'] });
    expect(cache.serverlessCache!.serverlessCacheName).toMatch(/^[a-z][a-z0-9-]{0,39}$/);
  });

  it.each([
    [{ nodeType: 'cache.r7g.large' }, /nodeType does not apply to deployment: 'serverless'/],
    [{ shards: 3 }, /shards does not apply to deployment: 'serverless'/],
    [{ replicasPerShard: 2 }, /replicasPerShard does not apply to deployment: 'serverless'/],
    [{ clusterMode: false }, /clusterMode: false is impossible with deployment: 'serverless'/],
    [{ port: 6380 }, /port 6380 is impossible with deployment: 'serverless', which listens on 6379/],
    [{ engineVersion: '7.1' }, /engineVersion "7.1" is invalid for a serverless cache; give a major version/],
    [{ maxDataStorageGB: 0 }, /maxDataStorageGB 0 is invalid; use 1-5000/],
    [{ maxEcpuPerSecond: 10 }, /maxEcpuPerSecond 10 is invalid; use 1000-15000000/],
  ])('refuses %o with a clear error', (props, error) => {
    const stack = newStack();
    expect(() => new Cache(stack, 'Cache', { vpc: testVpc(stack), deployment: 'serverless', ...props })).toThrow(error);
  });

  it('refuses serverless-only props on a replication group', () => {
    const stack = newStack();
    expect(() => new Cache(stack, 'Cache', { vpc: testVpc(stack), maxDataStorageGB: 10 })).toThrow(/maxDataStorageGB applies to deployment: 'serverless' only/);
  });
});

describe('the cache settings in cdk.json', () => {
  const withDev = (settings: Record<string, unknown>) => {
    const environments = committedContext()['ticketkit:environments'] as Record<string, Record<string, unknown>>;
    return new CdkApp({ context: { 'ticketkit:environments': { dev: { ...environments['dev'], ...settings } } } }).node;
  };

  it('reads the deployment, cluster mode and shards, and refuses an unknown deployment', () => {
    expect(readPlatformEnvironment(withDev({ cacheDeployment: 'serverless' }), 'dev')).toMatchObject({ cacheDeployment: 'serverless' });
    expect(readPlatformEnvironment(withDev({ cacheClusterMode: true, cacheShards: 3 }), 'dev')).toMatchObject({ cacheClusterMode: true, cacheShards: 3 });
    expect(() => readPlatformEnvironment(withDev({ cacheDeployment: 'memcached' }), 'dev')).toThrow(/ticketkit:environments.dev.cacheDeployment/);
  });
});
