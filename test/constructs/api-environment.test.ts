import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from '../../app/config.ts';
import { apiEnvironment, mysqlUrl } from '../../constructs/api-environment.ts';
import { API_SETTINGS } from '../../shared/api-settings.ts';

const options = { port: 3000, region: 'us-east-1', bucketName: 'posters', publicUrl: 'https://tickets.example.com', adminEmail: 'admin@example.com' };

describe('apiEnvironment', () => {
  it('trusts one proxy (the load balancer) by default', () => {
    expect(apiEnvironment(options).TRUST_PROXY).toBe('true');
  });

  it('trusts two proxies behind CloudFront, so the viewer is the second-to-last X-Forwarded-For entry', () => {
    expect(apiEnvironment({ ...options, trustedProxies: 2 }).TRUST_PROXY).toBe('2');
  });

  it("writes the API's own defaults when no prop is set: one table feeds both, so they cannot drift", () => {
    const environment = apiEnvironment(options);
    const apiDefaults = loadConfig({}) as unknown as Record<string, unknown>;
    for (const name of Object.keys(API_SETTINGS).filter((n) => n !== 'PORT')) {
      expect(environment[name], name).toBe(String(apiDefaults[name]));
    }
    expect(environment).toMatchObject({ HOLD_TTL_SECONDS: '600', MAX_SEATS_PER_USER: '8', PASSWORD_HASH_COST: '17', REGISTER_RATE_LIMIT_PER_IP: '10' });
  });

  it('writes only variables the API reads, each one a value the API accepts', () => {
    const environment = apiEnvironment({ ...options, trustedProxies: 2, holdTtl: Duration.minutes(5) });
    const read = Object.keys(configSchema.shape);
    expect(Object.keys(environment).filter((name) => !read.includes(name))).toEqual([]);
    // The secrets the instance adds at start complete it.
    expect(() => loadConfig({ ...environment, SESSION_KEYS: 'k'.repeat(32), ADMIN_PASSWORD: 'p'.repeat(16) })).not.toThrow();
  });

  it('writes the MySQL and Redis connection settings without a password, in a form the API accepts', () => {
    const environment = apiEnvironment({
      ...options,
      databaseUrl: mysqlUrl({ user: 'ticketkit_api', host: 'db.example.internal', port: 3307, database: 'ticketkit', ssl: 'rds' }),
      databaseReadUrl: mysqlUrl({ user: 'ticketkit_api', host: 'replica.example.internal', port: 3307, database: 'ticketkit', ssl: 'rds' }),
      databaseIamAuth: true,
      redisUrl: 'rediss://ticketkit-api@cache.example.internal:6380/0',
      redisSecretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:redis-AbCdEf',
      redisKeyPrefix: 'tk:',
    });
    expect(environment).toMatchObject({
      DATABASE_URL: 'mysql://ticketkit_api@db.example.internal:3307/ticketkit?ssl=rds',
      DATABASE_READ_URL: 'mysql://ticketkit_api@replica.example.internal:3307/ticketkit?ssl=rds',
      DATABASE_IAM_AUTH: 'true',
      REDIS_URL: 'rediss://ticketkit-api@cache.example.internal:6380/0',
      REDIS_KEY_PREFIX: 'tk:',
    });
    const config = loadConfig({ ...environment, SESSION_KEYS: 'k'.repeat(32), ADMIN_PASSWORD: 'p'.repeat(16) });
    expect(config).toMatchObject({ DATABASE_IAM_AUTH: true, REDIS_SECRET_ARN: environment['REDIS_SECRET_ARN'] });
    expect(config.DATABASE_SECRET_ARN).toBeUndefined();
  });

  it('lets props tune the hold TTL, seat limit, hash cost and rate limits', () => {
    const environment = apiEnvironment({
      ...options,
      holdTtl: Duration.minutes(5),
      maxSeatsPerUser: 4,
      passwordHashCost: 15,
      holdRateLimitPerUser: 30,
      holdRateLimitPerIp: 0,
      loginRateLimitPerIp: 10,
      registerRateLimitPerIp: 3,
    });
    expect(environment).toMatchObject({
      HOLD_TTL_SECONDS: '300',
      MAX_SEATS_PER_USER: '4',
      PASSWORD_HASH_COST: '15',
      HOLD_RATE_LIMIT_PER_USER: '30',
      HOLD_RATE_LIMIT_PER_IP: '0',
      LOGIN_RATE_LIMIT_PER_IP: '10',
      REGISTER_RATE_LIMIT_PER_IP: '3',
    });
  });

  it('refuses values the API would refuse at start, naming every bad prop and its range', () => {
    const bad = () => apiEnvironment({ ...options, holdTtl: Duration.millis(1500), passwordHashCost: 9, maxSeatsPerUser: 0 });
    expect(bad).toThrow(/holdTtl 1\.5 is invalid; use a whole number of seconds a seat hold lasts between 1 and 86400/);
    expect(bad).toThrow(/maxSeatsPerUser 0 is invalid.*between 1 and 10000/);
    expect(bad).toThrow(/passwordHashCost 9 is invalid.*between 10 and 20/);
  });
});
