import mysql from 'mysql2/promise';
import { startMariadbServer, type MariadbServer } from '../../support/mariadb-server.ts';
import { waitUntil } from '../../support/wait.ts';

/** What `--follow` needs of a source, and nothing more. */
export const BINLOG_ARGS = ['--log-bin', '--binlog-format=ROW', '--binlog-row-image=FULL'];

export async function startBinlogSource(serverId = 11): Promise<MariadbServer> {
  return startMariadbServer({ extraArgs: [...BINLOG_ARGS, `--server-id=${serverId}`] });
}

/** An application account as on a real monolith: DML only, so read_only stops it. Returns its URL. */
export async function createAppUser(server: MariadbServer, database: string, user = 'shop_app'): Promise<string> {
  const db = await mysql.createConnection(server.url);
  try {
    await db.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'app-pass'`);
    await db.query(`GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES, LOCK TABLES ON \`${database}\`.* TO '${user}'@'%'`);
  } finally {
    await db.end();
  }
  return server.url.replace('root@', `${user}:app-pass@`) + `/${database}`;
}

export const SHOP_SCHEMA = `
CREATE TABLE items (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  price DECIMAL(20,6) NULL,
  payload BLOB NULL,
  doc JSON NULL,
  happened DATETIME(6) NULL,
  stamped TIMESTAMP(6) NULL DEFAULT NULL,
  flags BIT(10) NULL,
  note VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  made YEAR NULL,
  ratio DOUBLE NULL,
  note_length INT AS (CHAR_LENGTH(note)) VIRTUAL,
  price_twice DECIMAL(21,6) AS (price * 2) STORED,
  KEY ix_note (note)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE pairs (
  region VARCHAR(10) NOT NULL, code VARCHAR(10) NOT NULL, total DECIMAL(10,2) NOT NULL,
  PRIMARY KEY (region, code)
) ENGINE=InnoDB;
CREATE TABLE tokens (
  token VARCHAR(40) NOT NULL, owner INT NOT NULL, UNIQUE KEY uq_token (token)
) ENGINE=InnoDB;
`;

/** A small deterministic PRNG, so a failing sequence of writes can be replayed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function itemValues(next: () => number): unknown[] {
  const nullable = (value: unknown) => (next() < 0.15 ? null : value);
  const micros = String(Math.floor(next() * 1e6)).padStart(6, '0');
  return [
    nullable(`${Math.floor(next() * 1e12) - 5e11}.${micros}`),
    nullable(Buffer.from(Array.from({ length: 1 + Math.floor(next() * 40) }, () => Math.floor(next() * 256)))),
    nullable(JSON.stringify({ n: Math.floor(next() * 1000), emoji: '🎟️', text: 'tab\there "quoted" \\ back' })),
    nullable(`20${10 + Math.floor(next() * 20)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)} 1${Math.floor(next() * 9)}:3${Math.floor(next() * 9)}:0${Math.floor(next() * 9)}.${micros}`),
    // Written in a +05:30 session: the instant, not the text, must arrive.
    nullable(`2021-03-28 0${Math.floor(next() * 9)}:30:00.${micros}`),
    nullable(Math.floor(next() * 1024)),
    nullable(['plain', 'émoji 🎉', 'zero\0byte', 'back\\slash', "quote'", ''][Math.floor(next() * 6)]),
    nullable(next() < 0.1 ? 0 : 1901 + Math.floor(next() * 200)),
    nullable(next() * 1e6 - 5e5),
  ];
}

const ITEM_INSERT = 'INSERT INTO items (price, payload, doc, happened, stamped, flags, note, made, ratio) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** Fills the shop schema with `rows` items and a few pairs and tokens. */
export async function seedShop(url: string, rows: number, seed = 1): Promise<void> {
  const db = await mysql.createConnection({ uri: url, multipleStatements: true });
  try {
    await db.query(SHOP_SCHEMA);
    await db.query("SET time_zone = '+05:30'");
    const next = random(seed);
    for (let i = 0; i < rows; i += 1) await db.query(ITEM_INSERT, itemValues(next));
    await db.query("INSERT INTO pairs VALUES ('eu','a',1.10),('eu','b',2.20),('us','a',3.30)");
    await db.query("INSERT INTO tokens VALUES ('t-1', 1), ('t-2', 2)");
  } finally {
    await db.end();
  }
}

export interface Writer {
  /** Transactions committed so far. */
  readonly committed: () => number;
  /** Transactions the source refused because it was read-only. */
  readonly refused: () => number;
  stop(): Promise<void>;
}

/**
 * Writes until stopped: inserts, updates, primary-key changes (single and composite), deletes,
 * multi-statement transactions, NULLs, BLOB/JSON/DECIMAL/fractional times and emoji.
 */
export function startWriter(url: string, seed: number, options: { pauseMs?: number } = {}): Writer {
  let running = true;
  let committed = 0;
  let refused = 0;
  const done = (async () => {
    const db = await mysql.createConnection({ uri: url });
    try {
      await db.query("SET time_zone = '+05:30'");
      const next = random(seed);
      const someId = async () => {
        const [[row]] = (await db.query('SELECT id FROM items ORDER BY RAND() LIMIT 1')) as unknown as [{ id: number }[]];
        return row?.id;
      };
      while (running) {
        const dice = next();
        try {
        await db.query('START TRANSACTION');
        if (dice < 0.35) {
          await db.query(ITEM_INSERT, itemValues(next));
        } else if (dice < 0.6) {
          const values = itemValues(next);
          await db.query('UPDATE items SET price = ?, payload = ?, doc = ?, happened = ?, stamped = ?, flags = ?, note = ?, made = ?, ratio = ? WHERE id = ?', [...values, await someId()]);
        } else if (dice < 0.7) {
          const id = await someId();
          const [[max]] = (await db.query('SELECT MAX(id) + 1 + FLOOR(RAND() * 3) AS next FROM items')) as unknown as [{ next: number }[]];
          await db.query('UPDATE items SET id = ? WHERE id = ?', [max!.next, id]);
        } else if (dice < 0.8) {
          await db.query('DELETE FROM items WHERE id = ?', [await someId()]);
        } else if (dice < 0.9) {
          // Several statements and tables in one transaction.
          await db.query(ITEM_INSERT, itemValues(next));
          await db.query("UPDATE pairs SET total = total + 1, code = CONCAT(LEFT(code, 1), FLOOR(RAND() * 5)) WHERE region = 'eu' ORDER BY code LIMIT 1");
          await db.query('DELETE FROM items WHERE id = ?', [await someId()]);
        } else {
          const token = `t-${Math.floor(next() * 50)}`;
          await db.query('REPLACE INTO tokens VALUES (?, ?)', [token, Math.floor(next() * 100)]);
        }
        await db.query('COMMIT');
        committed += 1;
        } catch (error) {
          // A read-only source (during and after a cutover) refuses writes: the shop retries later.
          if ((error as { errno?: number }).errno !== 1290) throw error;
          await db.query('ROLLBACK');
          refused += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
      }
    } finally {
      await db.end();
    }
  })();
  return {
    committed: () => committed,
    refused: () => refused,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** Every column of every row as hex (generated columns included), in key order: byte-exact comparison. */
export async function tableAsHex(connection: mysql.Connection, database: string, table: string): Promise<unknown[]> {
  const [columns] = await connection.query('SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [database, table]);
  const names = (columns as { name: string }[]).map(({ name }) => name);
  const [rows] = await connection.query(`SELECT ${names.map((name) => `HEX(\`${name}\`) AS \`${name}\``).join(', ')} FROM \`${database}\`.\`${table}\` ORDER BY ${names.map((name) => `\`${name}\``).join(', ')}`);
  return rows as unknown[];
}

export async function checksumTables(connection: mysql.Connection, database: string, tables: readonly string[]): Promise<Record<string, string>> {
  const [rows] = await connection.query(`CHECKSUM TABLE ${tables.map((table) => `\`${database}\`.\`${table}\``).join(', ')} EXTENDED`);
  return Object.fromEntries((rows as { Table: string; Checksum: number | string }[]).map((row) => [row.Table.split('.')[1]!, String(row.Checksum)]));
}

async function masterPosition(source: mysql.Connection): Promise<{ file: string; position: number }> {
  const [[status]] = (await source.query('SHOW MASTER STATUS')) as unknown as [{ File: string; Position: number }[]];
  return { file: status!.File, position: Number(status!.Position) };
}

/** Waits until the follower's checkpoint on the target has reached the source's current binlog end and its reported lag is small. */
export async function waitForCatchUp(source: mysql.Connection, target: mysql.Connection, database: string, timeoutMs = 60_000): Promise<void> {
  const end = await masterPosition(source);
  // Applied up to the source's position, and the lag the follower last reported is small again: a cutover checks
  // that report (under 2 s by default), which trails the position by up to a heartbeat after a stall.
  await waitUntil(`the follower to apply up to ${end.file}:${end.position} and report a lag under 1 s`, async () => {
    const [rows] = await target.query(
      'SELECT applied_file AS file, applied_position AS position, lag_seconds AS lag FROM _ticketkit_migrate.follow_state WHERE target_schema = ?',
      [database],
    ).catch(() => [[]]);
    const row = (rows as { file: string; position: number; lag: number | null }[])[0];
    const applied = !!row && (row.file > end.file || (row.file === end.file && Number(row.position) >= end.position));
    return applied && row.lag !== null && Number(row.lag) < 1;
  }, timeoutMs, 50);
}

/** Resolves with the first JSON line of a running bin/migrate's stdout that matches; fails at once, with its stderr, if it exits first. */
export function waitForLine(migrate: MigrateProcess, match: (line: Record<string, unknown>) => boolean, what: string, timeoutMs = 120_000): Promise<Record<string, unknown>> {
  let found: Record<string, unknown> | undefined;
  return waitUntil(what, () => {
    for (const text of migrate.stdout().split('\n')) {
      if (!text.startsWith('{')) continue;
      const line = JSON.parse(text) as Record<string, unknown>;
      if (match(line)) {
        found = line;
        return true;
      }
    }
    if (migrate.child.exitCode !== null || migrate.child.signalCode !== null) {
      throw new Error(`bin/migrate ended (${migrate.child.exitCode ?? migrate.child.signalCode}) before ${what}: ${migrate.stderr().trim().slice(-2000)}`);
    }
    return false;
  }, timeoutMs, 50).then(() => found!);
}

export interface MigrateProcess {
  readonly child: import('node:child_process').ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly done: Promise<{ code: number; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** bin/migrate as a real process whose output can be read while it runs. */
export async function spawnLive(args: readonly string[]): Promise<MigrateProcess> {
  const { spawnMigrate } = await import('./run-migrate.ts');
  const started = spawnMigrate(args);
  let out = '';
  let err = '';
  started.child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  started.child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { child: started.child, stdout: () => out, stderr: () => err, done: started.done };
}
