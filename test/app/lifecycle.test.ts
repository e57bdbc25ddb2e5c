import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { demoPosterPng } from '../../app/demo/demo-poster.ts';
import { connectionOptions } from '../../app/infra/mysql/connection-options.ts';
import { migrateSchema, readMigrations } from '../../app/infra/mysql/migrate-schema.ts';
import { createRedisClient, waitForRedis } from '../../app/infra/redis/client.ts';
import { createTestPlatform, organizer, testEnv, type TestPlatform } from '../support/api.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { HttpClient, logIn } from '../support/http-client.ts';
import { acceptsConnections, freePort, waitUntil } from '../support/wait.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}

describe('schema migrations', () => {
  it('migrates exactly once when ten instances start at the same moment', async () => {
    const db = await database();
    const connections = await Promise.all(
      Array.from({ length: 10 }, () => mysql.createConnection({ ...connectionOptions(db.url), multipleStatements: true })),
    );
    const results = await Promise.all(connections.map((connection) => migrateSchema(connection)));
    await Promise.all(connections.map((connection) => connection.end()));
    const versions = (await readMigrations()).map((m) => m.version);
    expect(results.filter((r) => r.applied.length > 0)).toEqual([{ applied: versions }]);
    const check = await mysql.createConnection(db.url);
    const [rows] = await check.query<RowDataPacket[]>('SELECT version FROM schema_migrations ORDER BY version');
    await check.end();
    expect(rows.map((row) => row.version)).toEqual(versions);
  });

  it('adopts a database copied from the monolith as version 1 and adds only what later versions add', async () => {
    const db = await database();
    const legacy = await mysql.createConnection({ ...connectionOptions(db.url), multipleStatements: true });
    await legacy.query(await readFile(new URL('../../app/infra/mysql/migrations/001_legacy_monolith.sql', import.meta.url), 'utf8'));
    const bcrypt = (await import('bcryptjs')).default;
    await legacy.query(
      `INSERT INTO users (id, email, password_hash, name) VALUES (7, 'old@buyer.test', ?, 'Old Buyer');
       INSERT INTO events (id, name, venue, starts_at, on_sale_at, poster_path) VALUES (3, 'Old show', 'Hall', '2027-01-01', '2026-01-01', '/var/www/posters/old.jpg');
       INSERT INTO seats (id, event_id, section, row_label, number, price_cents) VALUES (11, 3, 'A', 'A', 1, 1000), (12, 3, 'A', 'A', 2, 1000);
       INSERT INTO orders (id, user_id, event_id, total_cents) VALUES (5, 7, 3, 1000);
       INSERT INTO tickets (id, order_id, seat_id) VALUES (9, 5, 11);`,
      [await bcrypt.hash('old password', 4)],
    );
    await legacy.end();

    const platform = await createTestPlatform({ DATABASE_URL: db.url });
    cleanups.push(() => platform.stop());
    const api = await platform.startInstance();
    const buyer = new HttpClient(api.url);
    await logIn(buyer, 'old@buyer.test', 'old password');
    expect((await buyer.get('/api/orders')).body.orders).toEqual([{ id: 5, eventId: 3, totalCents: 1000, tickets: [{ id: 9, seatId: 11 }] }]);
    const seats = (await buyer.get('/api/events/3/seats')).body.seats;
    expect(seats.map((s: { id: number; status: string }) => [s.id, s.status])).toEqual([[11, 'sold'], [12, 'available']]);
    expect((await buyer.post('/api/events/3/holds', { seatIds: [11] })).body.error.code).toBe('seats_unavailable');
  });
});

describe('configuration', () => {
  const base = { DATABASE_URL: 'mysql://root@127.0.0.1:3306/x' };

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ HOLD_TTL_SECONDS: '0' }, 'HOLD_TTL_SECONDS'],
    [{ MAX_SEATS_PER_USER: '10001' }, 'MAX_SEATS_PER_USER'],
    [{ PASSWORD_HASH_COST: '9' }, 'PASSWORD_HASH_COST'],
    [{ PASSWORD_HASH_COST: '21' }, 'PASSWORD_HASH_COST'],
    [{ REDIS_URL: 'http://cache:6379' }, 'REDIS_URL'],
    [{ DATABASE_URL: 'postgres://x' }, 'DATABASE_URL'],
    [{ NODE_ENV: 'production' }, 'SESSION_KEYS'],
    [{ SESSION_KEYS: 'short' }, 'SESSION_KEYS'],
    [{ ADMIN_EMAIL: 'a@b.co' }, 'ADMIN_PASSWORD'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '4' }, 'TRUST_PROXY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_IAM_AUTH: 'true' }, 'DATABASE_IAM_AUTH'],
    [{ DATABASE_IAM_AUTH: 'true', DATABASE_URL: 'mysql://api@db:3306/x?ssl=rds', DATABASE_READ_URL: 'mysql://api@replica:3306/x' }, 'DATABASE_IAM_AUTH'],
    [{ DATABASE_IAM_AUTH: 'true', DATABASE_URL: 'mysql://api@db:3306/x?ssl=rds', DATABASE_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf' }, 'DATABASE_IAM_AUTH'],
    [{ DATABASE_SECRET_ARN: 'ticketkit/db' }, 'DATABASE_SECRET_ARN'],
    [{ REDIS_SECRET_ARN: 'arn:aws:s3:::bucket' }, 'REDIS_SECRET_ARN'],
    [{ DATABASE_READ_URL: 'postgres://replica' }, 'DATABASE_READ_URL'],
    [{ DATABASE_READ_MAX_LAG_SECONDS: '-1' }, 'DATABASE_READ_MAX_LAG_SECONDS'],
    [{ DATABASE_READ_WAIT_MS: '10001' }, 'DATABASE_READ_WAIT_MS'],
    [{ REDIS_MODE: 'sentinel' }, 'REDIS_MODE'],
    [{ REDIS_MODE: 'cluster', REDIS_URL: 'rediss://cache.example:6379/2' }, 'REDIS_URL'],
  ])('refuses %o naming %s', (env, name) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(new RegExp(`^invalid configuration: ${name} `));
  });

  it('accepts the full ranges in production, TLS URLs for RDS and ElastiCache, and the defaults', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_KEYS: 'k'.repeat(32) + ',' + 'j'.repeat(40),
      PASSWORD_HASH_COST: '10',
      HOLD_TTL_SECONDS: '1',
      MAX_SEATS_PER_USER: '10000',
      DATABASE_URL: 'mysql://app:p%40ss@db.example:3307/ticketkit?ssl=rds',
      REDIS_URL: 'rediss://:token@cache.example:6380/2',
    });
    expect(config).toMatchObject({ PASSWORD_HASH_COST: 10, HOLD_TTL_SECONDS: 1, MAX_SEATS_PER_USER: 10_000 });
    expect(config.SESSION_KEYS).toHaveLength(2);
    const db = connectionOptions(config.DATABASE_URL);
    expect(db).toMatchObject({ host: 'db.example', port: 3307, user: 'app', password: 'p@ss', database: 'ticketkit' });
    expect((db.ssl as { ca: string[]; rejectUnauthorized: boolean }).rejectUnauthorized).toBe(true);
    expect((db.ssl as { ca: string[] }).ca.length).toBeGreaterThan(0);
    const defaults = loadConfig({});
    expect(defaults).toMatchObject({ PORT: 3000, HOLD_TTL_SECONDS: 600, MAX_SEATS_PER_USER: 8, PASSWORD_HASH_COST: 17 });
  });

  it('takes REDIS_MODE=cluster with database 0 only, and single by default', () => {
    expect(loadConfig({ ...base }).REDIS_MODE).toBe('single');
    for (const url of ['rediss://api:secret@clustercfg.cache.example:6379', 'redis://127.0.0.1:7000/0']) {
      expect(loadConfig({ ...base, REDIS_MODE: 'cluster', REDIS_URL: url })).toMatchObject({ REDIS_MODE: 'cluster', REDIS_URL: url });
    }
    expect(() => loadConfig({ ...base, REDIS_MODE: 'cluster', REDIS_URL: 'redis://127.0.0.1:7000/1' })).toThrow(
      'invalid configuration: REDIS_URL names a database, but a Redis Cluster has database 0 only: remove the path or set REDIS_MODE=single',
    );
  });

  it('honours the Redis database number of REDIS_URL', async () => {
    const redis = createRedisClient('redis://127.0.0.1:6379/3');
    try {
      await waitForRedis(redis, 5_000);
      await redis.set('tk-db-check', 'three', 'EX', 30);
      const db3 = createRedisClient('redis://127.0.0.1:6379/3');
      const db0 = createRedisClient('redis://127.0.0.1:6379/0');
      await Promise.all([waitForRedis(db3, 5_000), waitForRedis(db0, 5_000)]);
      expect(await db3.get('tk-db-check')).toBe('three');
      expect(await db0.get('tk-db-check')).toBeNull();
      await Promise.all([db3.quit(), db0.quit()]);
    } finally {
      await redis.quit();
    }
  });

  it('bin/api stops with exit code 2 and one line naming the bad variable', () => {
    const result = spawnSync('bin/api', { env: { ...process.env, HOLD_TTL_SECONDS: 'soon' }, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('ticketkit-api:'));
    expect(lines).toEqual([expect.stringMatching(/^ticketkit-api: invalid configuration: HOLD_TTL_SECONDS /)]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('graceful shutdown', () => {
  it('finishes an in-flight request after SIGTERM, refuses new connections, and exits 0', async () => {
    const platform: TestPlatform = await createTestPlatform();
    cleanups.push(() => platform.stop());
    await platform.startInstance(); // migrates and creates the organizer
    const port = await freePort();
    const env = testEnv(platform.database, platform.keyPrefix, platform.bucket);
    const child = spawn('bin/api', { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore' });
    const url = `http://127.0.0.1:${port}`;
    await waitUntil('bin/api to become ready', () => fetch(`${url}/readyz`).then((r) => r.ok, () => false), 60_000);
    const admin = new HttpClient(url);
    await logIn(admin, organizer.email, organizer.password);
    const event = await admin.post('/api/admin/events', {
      name: 'Drain', venue: 'V', startsAt: '2030-01-01T00:00:00Z', onSaleAt: '2026-01-01T00:00:00Z',
      sections: [{ name: 'A', rows: 1, seatsPerRow: 1, priceCents: 1 }],
    });

    // A poster upload whose body is still arriving when SIGTERM comes. With Expect: 100-continue, Node's
    // server answers 100 only once it has parsed the headers and handed the request to the app, so the
    // request is provably in flight (not merely connected) when the signal is sent.
    const png = demoPosterPng(30, 30);
    const upload = request(`${url}/api/admin/events/${event.body.event.id}/poster`, {
      method: 'PUT',
      headers: {
        'content-type': 'image/png',
        'content-length': png.length,
        expect: '100-continue',
        cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    const answered = once(upload, 'response');
    upload.flushHeaders();
    await once(upload, 'continue');
    upload.write(png.subarray(0, 100));
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    // New connections are refused once the server stops listening; only then does the rest of the body come.
    await waitUntil('bin/api to refuse new connections', async () => !(await acceptsConnections(url)));
    upload.end(png.subarray(100));
    const [response] = (await answered) as [import('node:http').IncomingMessage];
    let body = '';
    for await (const chunk of response) body += chunk;
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(body).posterUrl).toMatch(/\.png$/);
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
