import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Cache } from '../../constructs/cache.ts';
import { newStack } from './support/cdk-app.ts';
import { testVpc } from './support/vpc.ts';

const vpcIn = testVpc;

describe('Cache', () => {
  it('defaults to Multi-AZ Redis with failover, encryption, RBAC, port 6380, noeviction and 15 days of snapshots', () => {
    const stack = newStack();
    new Cache(stack, 'Cache', { vpc: vpcIn(stack) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'redis',
      Port: 6380,
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
      ReplicasPerNodeGroup: 1,
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      SnapshotRetentionLimit: 15,
      UserGroupIds: [{ Ref: Match.stringLikeRegexp('^CacheUsers') }],
    });
    expect(Object.values(template.findResources('AWS::ElastiCache::ReplicationGroup'))[0]!['Properties'].AuthToken).toBeUndefined();
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { CacheParameterGroupFamily: 'redis7', Properties: { 'maxmemory-policy': 'noeviction', 'cluster-enabled': 'no' } });
  });

  it('lets props override node type, port, replicas and cluster mode', () => {
    const stack = newStack();
    const cache = new Cache(stack, 'Cache', { vpc: vpcIn(stack), nodeType: 'cache.t4g.small', port: 6400, replicasPerShard: 2, clusterMode: true, shards: 3 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { CacheNodeType: 'cache.t4g.small', Port: 6400, ReplicasPerNodeGroup: 2, NumNodeGroups: 3 });
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { Properties: { 'maxmemory-policy': 'noeviction', 'cluster-enabled': 'yes' } });
    expect(stack.resolve(cache.endpointAddress)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(cache.replicationGroup!), 'ConfigurationEndPoint.Address'] });
  });

  it('refuses production without a replica and the default port, naming the fix', () => {
    const stack = newStack();
    const vpc = vpcIn(stack);
    expect(() => new Cache(stack, 'A', { vpc, replicasPerShard: 0 })).toThrow(/replicasPerShard 0 gives production no failover target/);
    expect(() => new Cache(stack, 'B', { vpc, port: 6379 })).toThrow(/port 6379 is invalid; use a non-default port/);
  });
});
