// The local platform for a newcomer: MySQL and Redis on loopback, an embedded S3 server, a demo event.
import { mkdir } from 'node:fs/promises';
import mysql from 'mysql2/promise';
import { ConfigError, loadConfig } from '../app/config.ts';
import { connect } from '../app/connect.ts';
import { demoBuyer, seedDemo } from '../app/demo/seed-demo.ts';
import { connectionOptions, databaseName } from '../app/infra/mysql/connection-options.ts';
import { startLocalS3Server, type LocalS3Server } from '../app/infra/s3/local-s3-server.ts';
import { createLogger } from '../app/logger.ts';
import { startApi } from '../app/server.ts';

const organizer = { email: 'organizer@ticketkit.local', password: 'demo-organizer-password' };

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
try {
  // The database is created here only: on AWS the stack creates it.
  const { database: _database, ...server } = connectionOptions(config.DATABASE_URL);
  const admin = await mysql.createConnection(server);
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${databaseName(config.DATABASE_URL).replaceAll('`', '``')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
} catch (error) {
  console.error(`npm start: cannot reach MySQL at ${config.DATABASE_URL}: ${(error as Error).message}`);
  process.exit(2);
}

const deps = connect(config, logger);
await deps.posters.ensureBucket();
const api = await startApi(deps, { port: config.PORT });
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
