import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

/** Server every test talks to; override with TEST_MYSQL_URL (no database in the path). */
export const testServerUrl = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/** A unique name per call, so test files running in parallel never share a database or key prefix. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export interface TestDatabase {
  readonly name: string;
  /** mysql:// URL of the new, empty database. */
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates an empty database with a unique name on the test server (or on `serverUrl`, a server a test started). */
export async function createTestDatabase(prefix = 'tk_test', serverUrl = testServerUrl): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const admin = await mysql.createConnection(serverUrl);
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `${serverUrl}/${name}`,
    async drop() {
      const conn = await mysql.createConnection(serverUrl);
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
