// The local platform for a newcomer: MySQL and Redis on loopback, an embedded S3 server, a demo event.
import { mkdir } from 'node:fs/promises';
import mysql from 'mysql2/promise';
import { ConfigError, loadConfig } from '../app/config.ts';
import { connect } from '../app/connect.ts';
import { demoBuyer, seedDemo } from '../app/demo/seed-demo.ts';
import { connectionOptions, databaseName } from '../app/infra/mysql/connection-options.ts';
import { startLocalS3Server, type LocalS3Server } from '../app/infra/s3/local-s3-server.ts';
import { maskedUrl } from '../app/infra/masked-url.ts';
import { pingRedisOnce } from '../app/infra/redis/client.ts';
import { createLogger } from '../app/logger.ts';
import { startApi } from '../app/server.ts';

const organizer = { email: 'organizer@ticketkit.local', password: 'demo-organizer-password' };
/** Per service: the whole check stays well inside the 10 s a newcomer should wait for a verdict. */
const serviceCheckTimeoutMs = 5_000;

/** The database is created here only: on AWS the stack creates it. */
async function createDatabase(databaseUrl: string): Promise<void> {
  const { database: _database, ...server } = connectionOptions(databaseUrl);
  const admin = await mysql.createConnection({ ...server, connectTimeout: serviceCheckTimeoutMs });
  try {
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${databaseName(databaseUrl).replaceAll('`', '``')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
}

/** One line of cause: Node's dual-stack connect failure is an AggregateError with an empty message. */
function causeOf(error: unknown): string {
  const { message, code, errors } = error as { message?: string; code?: string; errors?: unknown[] };
  if (message) return message;
  if (errors?.length) return causeOf(errors[0]);
  return code ?? String(error);
}

let s3: LocalS3Server | undefined;
if (!process.env.S3_ENDPOINT) {
  const directory = new URL('../.local/s3/', import.meta.url).pathname;
  await mkdir(directory, { recursive: true });
  s3 = await startLocalS3Server({ directory });
}

let config;
try {
  config = loadConfig({
    ADMIN_EMAIL: organizer.email,
    ADMIN_PASSWORD: organizer.password,
    // Fast enough for a demo laptop; production keeps the default cost.
    PASSWORD_HASH_COST: '15',
    ...process.env,
    ...(s3 ? { S3_ENDPOINT: s3.endpoint } : {}),
  });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`npm start: ${error.message}`);
  process.exit(2);
}

const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
// Both services are checked at once and only once: an instance would retry them forever (on AWS they come
// back), but a newcomer needs to hear within seconds which one is down, in one line, and exit code 2.
const unreachable = (
  await Promise.all([
    createDatabase(config.DATABASE_URL).then(
      () => null,
      (error: unknown) => `cannot reach MySQL at ${maskedUrl(config.DATABASE_URL)}: ${causeOf(error)}`,
    ),
    pingRedisOnce(config.REDIS_URL, serviceCheckTimeoutMs).then(
      () => null,
      (error: unknown) => `cannot reach Redis at ${maskedUrl(config.REDIS_URL)}: ${causeOf(error)}`,
    ),
  ])
).filter((problem) => problem !== null);
if (unreachable.length) {
  console.error(`npm start: ${unreachable.join('; ')}`);
  process.exit(2);
}

const deps = connect(config, logger);
await deps.posters.ensureBucket().catch((error: unknown) => {
  console.error(`npm start: cannot reach S3 at ${config.S3_ENDPOINT ?? 'AWS'} (bucket ${config.S3_BUCKET}): ${causeOf(error)}`);
  process.exit(2);
});
const api = await startApi(deps, { port: config.PORT }).catch((error: unknown) => {
  console.error(`npm start: cannot listen on port ${config.PORT}: ${causeOf(error)} (set PORT to use another port, e.g. PORT=3001 npm start)`);
  process.exit(2);
});
await api.ready;
const { eventId } = await seedDemo(deps);

const base = `http://localhost:${config.PORT}`;
console.log(`
ticketkit is running (Ctrl+C to stop)
  Buyer page     ${base}/
  API            ${base}/api/events
  Demo event     ${base}/api/events/${eventId}/seats
  OpenAPI        ${base}/api/openapi.json
  Health         ${base}/readyz
  S3 (local)     ${config.S3_ENDPOINT} bucket ${config.S3_BUCKET}
  Organizer      ${organizer.email} / ${organizer.password}
  Demo buyer     ${demoBuyer.email} / ${demoBuyer.password}
`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    await api.stop();
    await s3?.close();
    process.exit(0);
  });
}
