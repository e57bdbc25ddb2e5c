import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Cache } from '../../constructs/cache.ts';
import { Database } from '../../constructs/database.ts';
import { DEFAULT_PORTS, isProduction, removalPolicyFor } from '../../constructs/platform-defaults.ts';
import { ThreeTierNetwork } from '../../constructs/three-tier-network.ts';
import { API_SETTINGS } from '../../shared/api-settings.ts';
import { newStack } from './support/cdk-app.ts';

describe('platform defaults', () => {
  it('production unless told otherwise; production keeps stateful resources, development removes them', () => {
    expect(isProduction({})).toBe(true);
    expect(isProduction({ production: false })).toBe(false);
    expect(removalPolicyFor(true)).toBe(RemovalPolicy.RETAIN);
    expect(removalPolicyFor(true, RemovalPolicy.SNAPSHOT)).toBe(RemovalPolicy.SNAPSHOT);
    expect(removalPolicyFor(false, RemovalPolicy.SNAPSHOT)).toBe(RemovalPolicy.DESTROY);
  });

  it("the app port is the API's own default; network, database and cache agree on one set of ports", () => {
    expect(DEFAULT_PORTS.app).toBe(API_SETTINGS.PORT.default);
    const stack = newStack();
    const network = new ThreeTierNetwork(stack, 'Network');
    const database = new Database(stack, 'Db', { vpc: network.vpc });
    const cache = new Cache(stack, 'Cache', { vpc: network.vpc });
    expect([network.appPort, network.databasePort, network.cachePort]).toEqual([DEFAULT_PORTS.app, DEFAULT_PORTS.database, DEFAULT_PORTS.cache]);
    expect([database.port, cache.port]).toEqual([network.databasePort, network.cachePort]);
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBInstance', { Port: String(DEFAULT_PORTS.database) });
  });
});
