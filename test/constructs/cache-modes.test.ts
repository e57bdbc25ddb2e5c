import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { apiEnvironment } from '../../constructs/api-environment.ts';
import { Cache } from '../../constructs/cache.ts';
import { addNagPacks } from '../../constructs/nag/packs.ts';
import { readValidationSummary } from '../../constructs/nag/validation-summary.ts';
import { ThreeTierNetwork } from '../../constructs/three-tier-network.ts';
import { TicketingPlatform } from '../../constructs/ticketing-platform.ts';
import { newStack, testApiArtifact } from './support/cdk-app.ts';
import { launchTemplateUserData } from './support/security-groups.ts';

function synth(props: { cacheClusterMode?: boolean; cacheShards?: number } = {}) {
  const stack = newStack();
  const platform = new TicketingPlatform(stack, 'Platform', { apiArtifact: testApiArtifact(), production: false, ...props });
  const template = Template.fromStack(stack);
  return { stack, platform, template, userData: launchTemplateUserData(template) };
}

describe('the cache modes as the API sees them', () => {
  it('defaults to one replication group without cluster mode, reached at its primary endpoint with REDIS_MODE=single', () => {
    const { stack, platform, template, userData } = synth();
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { Properties: { 'cluster-enabled': 'no' } });
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { NumNodeGroups: 1 });
    const id = stack.getLogicalId(platform.cache.replicationGroup!);
    expect(userData).toContain('Environment="REDIS_MODE=single"');
    expect(userData).toContain(`{"Fn::GetAtt":["${id}","PrimaryEndPoint.Address"]}}:6380/0`);
    expect(userData).not.toContain('ConfigurationEndPoint');
  });

  it('in cluster mode shards the group and gives the instances its configuration endpoint with REDIS_MODE=cluster', () => {
    const { stack, platform, template, userData } = synth({ cacheClusterMode: true, cacheShards: 3 });
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { Properties: { 'cluster-enabled': 'yes' } });
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { NumNodeGroups: 3, AutomaticFailoverEnabled: true, TransitEncryptionEnabled: true });
    const id = stack.getLogicalId(platform.cache.replicationGroup!);
    expect(userData).toContain('Environment="REDIS_MODE=cluster"');
    // Database 0 only: the API refuses any other path in cluster mode.
    expect(userData).toContain(`{"Fn::GetAtt":["${id}","ConfigurationEndPoint.Address"]}}:6380/0`);
    expect(userData).not.toContain('PrimaryEndPoint');
  });

  it('writes a REDIS_MODE the API accepts, with the URL the instances build', () => {
    const base = { port: 3000, region: 'us-east-1', bucketName: 'posters', publicUrl: 'https://tickets.example.com', adminEmail: 'admin@example.com' };
    const secrets = { SESSION_KEYS: 'k'.repeat(32), ADMIN_PASSWORD: 'p'.repeat(16), REDIS_URL: 'rediss://:token@clustercfg.cache.example:6380/0' };
    expect(loadConfig({ ...apiEnvironment({ ...base, redisMode: 'cluster' }), ...secrets }).REDIS_MODE).toBe('cluster');
    expect(loadConfig({ ...apiEnvironment(base), ...secrets }).REDIS_MODE).toBe('single');
  });

  it('keeps a cluster-mode cache as compliant as the default one: zero unacknowledged findings under the four packs', () => {
    const stack = newStack();
    const app = stack.node.scope as App;
    const network = new ThreeTierNetwork(stack, 'Network');
    new Cache(stack, 'ClusterCache', { vpc: network.vpc, clusterMode: true, shards: 3 });
    new Cache(stack, 'DevClusterCache', { vpc: network.vpc, production: false, clusterMode: true });
    addNagPacks(app);
    app.synth();
    for (const summary of readValidationSummary(app.outdir)) expect(summary.unacknowledged, summary.plugin).toEqual([]);
  });
});
