import { randomBytes } from 'node:crypto';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { rdsTokenSigner } from '../../app/infra/credentials/aws-sources.ts';
import type { CredentialSource, Credentials } from '../../app/infra/credentials/credential-source.ts';
import { RdsIamCredentials } from '../../app/infra/credentials/rds-iam-credentials.ts';
import { parseSecret, SecretCredentials, type SecretStage } from '../../app/infra/credentials/secret-credentials.ts';
import { connectionOptions } from '../../app/infra/mysql/connection-options.ts';
import { connectWithCredentials, createCredentialedPool } from '../../app/infra/mysql/credentialed-pool.ts';
import { openDatabase } from '../../app/infra/mysql/open-database.ts';
import { createTestDatabase, testServerUrl, type TestDatabase } from '../support/database.ts';

/** A secret the test rotates by hand, and a clock it moves. */
function rotatingSecret(initial: string) {
  const stages: Partial<Record<SecretStage, string>> = { AWSCURRENT: initial };
  const clock = { now: 0 };
  const reads: SecretStage[] = [];
  const source = new SecretCredentials(async (stage) => {
    reads.push(stage);
    return stages[stage];
  }, { description: 'test secret', user: 'fallback', ttlMs: 1_000, now: () => clock.now });
  return { stages, clock, reads, source };
}

describe('a rotated secret as the source of credentials', () => {
  it('reads once, keeps serving what it read, and reads again in the background once the TTL passed', async () => {
    const { stages, clock, reads, source } = rotatingSecret('{"username":"api","password":"one"}');
    expect(await source.current()).toEqual({ user: 'api', password: 'one' });
    expect(source.current()).toEqual({ user: 'api', password: 'one' });
    stages.AWSCURRENT = '{"username":"api","password":"two"}';
    clock.now = 1_500;
    // Stale: the old value still answers at once (a slow Secrets Manager never holds up a query)...
    expect(source.current()).toEqual({ user: 'api', password: 'one' });
    // ...while one read runs; then the new value is served.
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.current()).toEqual({ user: 'api', password: 'two' });
    expect(reads).toEqual(['AWSCURRENT', 'AWSCURRENT']);
  });

  it('after a refusal reads again, and tries AWSPENDING when AWSCURRENT still holds what was refused (single-user rotation)', async () => {
    const { stages, reads, source } = rotatingSecret('{"username":"api","password":"old"}');
    const old = await source.current();
    stages.AWSPENDING = '{"username":"api","password":"new"}';
    // setSecret changed the database's password; finishSecret has not yet moved AWSCURRENT.
    const [first, second] = await Promise.all([source.refresh(old), source.refresh(old)]);
    expect(first).toEqual({ user: 'api', password: 'new' });
    expect(second).toBe(first);
    expect(reads).toEqual(['AWSCURRENT', 'AWSCURRENT', 'AWSPENDING']);
    // A connection refused with the old password after the others moved on gets the new one without a read.
    expect(await source.refresh(old)).toEqual({ user: 'api', password: 'new' });
    expect(reads).toHaveLength(3);
  });

  it('takes a plain string as the password of the URL user, and never quotes a malformed secret', () => {
    expect(parseSecret('token-123', 'ticketkit-api')).toEqual({ user: 'ticketkit-api', password: 'token-123' });
    expect(parseSecret('{"password":"p"}', 'u')).toEqual({ user: 'u', password: 'p' });
    expect(() => parseSecret('{"password": "hunter2"', 'u')).toThrow(/^the secret is neither JSON nor a plain password$/);
  });
});

describe('RDS IAM tokens as passwords', () => {
  it('reuses one token for 10 minutes, renews it in the background until 14, then waits for a new one', async () => {
    const clock = { now: 0 };
    let n = 0;
    const source = new RdsIamCredentials(async () => `token-${++n}`, 'ticketkit_api', { description: 'test', now: () => clock.now });
    expect(await source.current()).toEqual({ user: 'ticketkit_api', password: 'token-1' });
    clock.now = 9 * 60_000;
    expect(source.current()).toEqual({ user: 'ticketkit_api', password: 'token-1' });
    clock.now = 11 * 60_000;
    expect(source.current()).toEqual({ user: 'ticketkit_api', password: 'token-1' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.current()).toEqual({ user: 'ticketkit_api', password: 'token-2' });
    clock.now = 11 * 60_000 + 14 * 60_000;
    const next = source.current();
    expect(next).toBeInstanceOf(Promise);
    expect(await next).toEqual({ user: 'ticketkit_api', password: 'token-3' });
    // A refused token is replaced at once.
    expect(await source.refresh({ user: 'ticketkit_api', password: 'token-3' })).toEqual({ user: 'ticketkit_api', password: 'token-4' });
    expect(source.signed).toBe(4);
  });

  it('makes the pool send the token in clear text over TLS only (DATABASE_IAM_AUTH needs ?ssl=)', async () => {
    const config = loadConfig({ DATABASE_IAM_AUTH: 'true', DATABASE_URL: 'mysql://ticketkit_api@db.example.rds.amazonaws.com:3306/ticketkit?ssl=rds', AWS_REGION: 'eu-west-1' });
    const database = openDatabase(config, pino({ level: 'silent' }), () => { throw new Error('no secret in IAM mode'); });
    try {
      const template = (database.db.pool as unknown as { config: { connectionConfig: Record<string, unknown> } }).config.connectionConfig;
      expect(template).toMatchObject({ enableCleartextPlugin: true, ssl: { rejectUnauthorized: true } });
      expect(database.credentials).toBeInstanceOf(RdsIamCredentials);
      expect(database.credentials.description).toBe('RDS IAM token for ticketkit_api@db.example.rds.amazonaws.com');
    } finally {
      await database.close();
    }
  });

  it('signs a connect URL for the endpoint and user that RDS accepts for 15 minutes', async () => {
    process.env.AWS_ACCESS_KEY_ID ??= 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
    const token = await rdsTokenSigner({ hostname: 'db.example.rds.amazonaws.com', port: 3306, user: 'ticketkit_api', region: 'eu-west-1' })();
    const url = new URL(`https://${token}`);
    expect(url.host).toBe('db.example.rds.amazonaws.com:3306');
    expect(url.searchParams.get('Action')).toBe('connect');
    expect(url.searchParams.get('DBUser')).toBe('ticketkit_api');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/\/eu-west-1\/rds-db\/aws4_request$/);
  });
});

describe('a pool whose new connections authenticate with what the source says then', () => {
  let database: TestDatabase;
  let admin: mysql.Connection;
  const user = `tk_cred_${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    admin = await mysql.createConnection(testServerUrl);
    await admin.query(`CREATE USER ?@'%' IDENTIFIED BY 'first-password'`, [user]);
    await admin.query(`GRANT SELECT ON \`${database.name}\`.* TO ?@'%'`, [user]);
  });
  afterAll(async () => {
    await admin.query(`DROP USER IF EXISTS ?@'%'`, [user]);
    await admin.end();
    await database.drop();
  });

  /** A source the test points at a password; `refreshed` counts refusals. */
  function testSource(password: string) {
    const state = { password, refreshed: 0, answerRefresh: password };
    const source: CredentialSource = {
      description: 'test',
      current: () => ({ user, password: state.password }),
      refresh: async (rejected: Credentials) => {
        state.refreshed++;
        state.password = state.answerRefresh;
        return rejected.password === state.password ? rejected : { user, password: state.password };
      },
    };
    return { state, source };
  }

  const connectionsOf = async () => {
    const [rows] = await admin.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ?', [user]);
    return Number(rows[0]!.n);
  };

  it('keeps its open connections after a password change and opens new ones with the new password, retrying once after a refusal', async () => {
    const { state, source } = testSource('first-password');
    const { user: _u, password: _p, ...options } = connectionOptions(database.url);
    const pool = createCredentialedPool({ ...options, connectionLimit: 4 }, source);
    try {
      const held = await pool.getConnection();
      await admin.query(`ALTER USER ?@'%' IDENTIFIED BY 'second-password'`, [user]);
      // The open connection is not checked again.
      await held.query('SELECT 1');
      // A new one is refused with what the source says now (still the first password), refreshes, and succeeds.
      state.answerRefresh = 'second-password';
      const fresh = await pool.getConnection();
      await fresh.query('SELECT 1');
      expect(state.refreshed).toBe(1);
      expect(await connectionsOf()).toBe(2);
      held.release();
      fresh.release();
      // Refused twice: the error is the server's, and the refused connection does not hold a pool slot.
      await admin.query(`ALTER USER ?@'%' IDENTIFIED BY 'third-password'`, [user]);
      const taken = await Promise.all([pool.getConnection(), pool.getConnection()]);
      // (all three settled before the source changes: one that is still retrying must not win a connection nobody releases)
      const refused = await Promise.allSettled([pool.getConnection(), pool.getConnection(), pool.getConnection()]);
      expect(refused.map((result) => (result.status === 'rejected' ? (result.reason as { errno?: number }).errno : 'connected'))).toEqual([1045, 1045, 1045]);
      state.answerRefresh = 'third-password';
      const more = await Promise.all([pool.getConnection(), pool.getConnection()]);
      expect(taken.length + more.length).toBe(4);
      for (const connection of [...taken, ...more]) connection.release();
    } finally {
      await pool.end();
    }
  });

  it('opens single connections (schema migrations) the same way', async () => {
    await admin.query(`ALTER USER ?@'%' IDENTIFIED BY 'fourth-password'`, [user]);
    const { state, source } = testSource('third-password');
    state.answerRefresh = 'fourth-password';
    const { user: _u, password: _p, ...options } = connectionOptions(database.url);
    const connection = await connectWithCredentials(options, source);
    await connection.end();
    expect(state.refreshed).toBe(1);
  });
});
