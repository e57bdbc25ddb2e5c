import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { startApiProcess, type ApiProcess } from '../../test/faults/support/api-process.ts';
import { insertBuyers, logInAll } from '../../test/faults/support/buyers.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createEvent, HttpClient, logIn } from '../../test/support/http-client.ts';
import type { SectionSpec } from '../../test/load/scenario.ts';
import { singleRedis, type RedisTarget } from './redis-targets.ts';

export const benchOrganizer = { email: 'organizer@bench.local', password: 'bench-organizer-password' };
const organizer = benchOrganizer;

/** A logged-in buyer as the load generator needs it. */
export interface BenchBuyer {
  userId: number;
  cookie: string;
}

export interface BenchPlatform {
  database: TestDatabase;
  redis: RedisTarget;
  keyPrefix: string;
  instances: ApiProcess[];
  buyers: BenchBuyer[];
  createEvent(sections: SectionSpec[]): Promise<{ eventId: number; seatIds: number[] }>;
  /** SIGTERM to every instance (a profiled one writes its profile on exit), then drops the database and keys. */
  stop(): Promise<void>;
}

/**
 * The benchmark's own database and Redis key prefix on the local MariaDB and Redis, `instances` separate
 * `bin/api` processes as in production, and `buyers` logged-in buyers (inserted with one precomputed
 * hash, then logged in through the API: their sessions live in Redis).
 */
export async function startBenchPlatform(options: {
  instances: number;
  buyers: number;
  env?: Record<string, string>;
  /** Node flags per instance index, e.g. `--cpu-prof` for the first one. */
  nodeArgs?: (index: number) => string[];
  /** The MySQL server of the database (no database in the path). @default the shared test server */
  databaseServerUrl?: string;
  /** A server replicating from `databaseServerUrl`: the instances read from it (DATABASE_READ_URL). */
  readReplicaServerUrl?: string;
  /** The Redis the instances use. @default the local single Redis (BENCH_REDIS_URL) */
  redis?: RedisTarget;
}): Promise<BenchPlatform> {
  const redis = options.redis ?? singleRedis();
  const database = await createTestDatabase('tk_bench', options.databaseServerUrl);
  const keyPrefix = `bench_${randomBytes(4).toString('hex')}:`;
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    ...redis.env,
    REDIS_KEY_PREFIX: keyPrefix,
    SESSION_KEYS: randomBytes(32).toString('hex'),
    PASSWORD_HASH_COST: '10',
    HOLD_RATE_LIMIT_PER_USER: '0',
    HOLD_RATE_LIMIT_PER_IP: '0',
    LOGIN_RATE_LIMIT_PER_IP: '0',
    ADMIN_EMAIL: organizer.email,
    ADMIN_PASSWORD: organizer.password,
    LOG_LEVEL: 'info',
    ...(options.readReplicaServerUrl ? { DATABASE_READ_URL: `${options.readReplicaServerUrl}/${database.name}` } : {}),
    ...options.env,
  };
  const instances: ApiProcess[] = [];
  const stop = async () => {
    await Promise.all(instances.map((instance) => instance.kill('SIGTERM')));
    await dropKeys(redis, keyPrefix);
    await database.drop();
  };
  try {
    // The first instance migrates; the others start once the schema exists.
    const start = (index: number) => startApiProcess(env, {
      nodeArgs: options.nodeArgs?.(index),
      logFile: process.env.BENCH_API_LOG ? `${process.env.BENCH_API_LOG}.${index}` : undefined,
    });
    instances.push(await start(0));
    for (let i = 1; i < options.instances; i++) instances.push(await start(i));
    const admin = new HttpClient(instances[0]!.url);
    await logIn(admin, organizer.email, organizer.password);
    const buyers = await insertBuyers(database.url, options.buyers);
    // Through the last instance: a profiled first instance then shows the hot path, not 3,000 password checks.
    await logInAll(buyers, instances[instances.length - 1]!.url, 16);
    await createBenchTables(database.url);
    return {
      database,
      redis,
      keyPrefix,
      instances,
      buyers: buyers.map((buyer) => ({ userId: buyer.userId, cookie: buyer.cookieHeader() })),
      createEvent: (sections) => createEvent(admin, sections),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The monolith-style hold baseline keeps its holds in a table of the bench database. */
async function createBenchTables(databaseUrl: string): Promise<void> {
  const db = await mysql.createConnection(databaseUrl);
  await db.query(`CREATE TABLE bench_seat_holds (
    seat_id INT UNSIGNED NOT NULL PRIMARY KEY, event_id INT UNSIGNED NOT NULL, hold_id CHAR(36) NOT NULL,
    user_id INT UNSIGNED NOT NULL, expires_at DATETIME(3) NOT NULL, KEY ix_bench_holds_user (event_id, user_id))`);
  await db.end();
}

/** Deletes the platform's keys: SCAN on each master, one DEL per key (keys of a cluster lie in many slots). */
async function dropKeys(target: RedisTarget, prefix: string): Promise<void> {
  const client = target.mode === 'cluster' ? new Cluster([target.url]) : new Redis(target.url);
  try {
    const nodes = client instanceof Cluster ? (await waitForSlots(client), client.nodes('master')) : [client];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
        await Promise.all(keys.map((key) => node.del(key)));
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
}

async function waitForSlots(cluster: Cluster): Promise<void> {
  if (cluster.status !== 'ready') await new Promise((resolve, reject) => cluster.once('ready', resolve).once('error', reject));
}
