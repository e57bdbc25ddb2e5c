import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Connection, RowDataPacket } from 'mysql2/promise';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));
const lockTimeoutSeconds = 120;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export async function readMigrations(): Promise<Migration[]> {
  const files = (await readdir(migrationsDir)).filter((file) => /^\d{3}_.+\.sql$/.test(file)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: await readFile(migrationsDir + file, 'utf8'),
    })),
  );
}

/**
 * Brings the schema to the newest version. Runs under a MySQL named lock per database, so ten instances
 * starting at once migrate exactly once; the others wait and then find nothing to do.
 * A database copied from the monolith (its tables, no `schema_migrations`) counts as version 1.
 * `connection` must allow multiple statements.
 */
export async function migrateSchema(connection: Connection): Promise<{ applied: number[] }> {
  const [[lock]] = await connection.query<RowDataPacket[]>(
    "SELECT GET_LOCK(CONCAT('ticketkit.schema.', DATABASE()), ?) AS acquired",
    [lockTimeoutSeconds],
  );
  if (lock?.acquired !== 1) throw new Error(`could not take the schema migration lock within ${lockTimeoutSeconds} s`);
  try {
    const current = await currentVersions(connection);
    const applied: number[] = [];
    for (const migration of await readMigrations()) {
      if (current.has(migration.version)) continue;
      // DDL commits implicitly in MySQL, so each file is written to be applied once, in order.
      await connection.query(migration.sql);
      await connection.query('INSERT INTO schema_migrations (version, name) VALUES (?, ?)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return { applied };
  } finally {
    await connection.query("SELECT RELEASE_LOCK(CONCAT('ticketkit.schema.', DATABASE()))");
  }
}

async function currentVersions(connection: Connection): Promise<Set<number>> {
  const [tables] = await connection.query<RowDataPacket[]>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('schema_migrations', 'users')",
  );
  const names = new Set(tables.map((row) => String(row.name)));
  if (!names.has('schema_migrations')) {
    await connection.query(
      `CREATE TABLE schema_migrations (
         version INT UNSIGNED NOT NULL PRIMARY KEY,
         name VARCHAR(255) NOT NULL,
         applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
       ) ENGINE=InnoDB`,
    );
    // The monolith's database has its tables but never tracked versions: it is schema version 1.
    if (names.has('users')) {
      await connection.query("INSERT INTO schema_migrations (version, name) VALUES (1, 'legacy_monolith')");
    }
  }
  const [rows] = await connection.query<RowDataPacket[]>('SELECT version FROM schema_migrations');
  return new Set(rows.map((row) => Number(row.version)));
}
