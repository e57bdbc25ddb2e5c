import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import mysql from 'mysql2/promise';
import { parseMysqlUrl } from '../../migrate/mysql/connection-url.ts';
import { connect } from '../../migrate/mysql/connect.ts';
import { readTables, type TableInfo } from '../../migrate/mysql/schema-reader.ts';
import { prepareReaderSession, prepareWriterSession } from '../../migrate/mysql/session.ts';
import { ProgressCounters } from '../../migrate/progress/counters.ts';
import { classifyError, isConnectionLost, retryReason } from '../../migrate/retry/error-class.ts';
import { CheckpointStore } from '../../migrate/state/checkpoint-store.ts';
import { copyChunkWithRetries, type ChunkCopyContext, type ChunkWorker } from '../../migrate/operations/db/copy-chunk.ts';
import { startMariadbServer, type MariadbServer } from '../support/mariadb-server.ts';
import { waitUntil } from '../support/wait.ts';

// One chunk of 1,000 rows copied by the copy phase's own code against a real server, while a second
// connection of the test holds the locks (or kills the session) that make it fail the way production
// targets do: a lock wait timeout, a deadlock, a dropped connection. Each must be retried, and the
// chunk must land exactly once with its checkpoint.

const ROWS = 1000;
let server: MariadbServer;
let admin: mysql.Connection;
let table: TableInfo;

beforeAll(async () => {
  server = await startMariadbServer();
  admin = await mysql.createConnection({ uri: server.url, multipleStatements: true });
  await admin.query(`CREATE DATABASE src; CREATE DATABASE dst;
    CREATE TABLE src.t (id INT NOT NULL PRIMARY KEY, label VARCHAR(40) NOT NULL) ENGINE=InnoDB;
    CREATE TABLE dst.scratch (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, filler CHAR(10) NOT NULL) ENGINE=InnoDB;`);
  await admin.query(`INSERT INTO src.t (id, label) SELECT seq, CONCAT('row ', seq) FROM src.seq_1_to_${ROWS}`);
  [table] = (await readTables(admin, 'src')).filter((candidate) => candidate.name === 't') as [TableInfo];
}, 120_000);

afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

beforeEach(async () => {
  await admin.query('DROP TABLE IF EXISTS dst.t');
  await admin.query('CREATE TABLE dst.t LIKE src.t');
  await admin.query('DROP DATABASE IF EXISTS _ticketkit_migrate');
});

interface Harness {
  readonly worker: ChunkWorker;
  readonly context: ChunkCopyContext;
  /** Each retry's error, in order; `retried` resolves at the first. */
  readonly retries: unknown[];
  readonly retried: Promise<unknown>;
  close(): Promise<void>;
}

async function harness(writerSetup = ''): Promise<Harness> {
  const endpoint = parseMysqlUrl(server.url, 'url');
  const reader = await connect(endpoint, { database: 'src' });
  await prepareReaderSession(reader);
  await reader.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
  const sessions: mysql.Connection[] = [reader];
  const openWriter = async () => {
    const writer = await connect(endpoint, { database: 'dst' });
    await prepareWriterSession(writer);
    if (writerSetup) await writer.query(writerSetup);
    sessions.push(writer);
    return writer;
  };
  const store = new CheckpointStore('_ticketkit_migrate', 'dst');
  await store.ensure(admin);
  const retries: unknown[] = [];
  let firstRetry!: (error: unknown) => void;
  const retried = new Promise<unknown>((resolve) => (firstRetry = resolve));
  return {
    worker: { reader, writer: await openWriter() },
    context: {
      targetDatabase: 'dst',
      store,
      counters: new ProgressCounters('rows'),
      checksum: true,
      retry: { attempts: 6, baseDelayMs: 10, maxDelayMs: 50 },
      reopenWriter: openWriter,
      onRetry: (error) => {
        retries.push(error);
        firstRetry(error);
      },
    },
    retries,
    retried,
    close: async () => {
      await Promise.all(sessions.map((session) => session.end().catch(() => undefined)));
    },
  };
}

async function copyTheChunk(h: Harness) {
  h.context.counters.addTask('t');
  h.context.counters.start('t');
  return copyChunkWithRetries({ table, chunk: { index: 0 } }, h.worker, h.context);
}

/** The chunk landed once: every row, one checkpoint, and the target's checksum equals the source's. */
async function expectCopiedOnce(done: Awaited<ReturnType<typeof copyTheChunk>>): Promise<void> {
  const [[counts]] = (await admin.query(
    "SELECT (SELECT COUNT(*) FROM dst.t) AS `rows`, (SELECT COUNT(*) FROM _ticketkit_migrate.copy_chunks WHERE target_schema = 'dst') AS checkpoints",
  )) as unknown as [{ rows: number; checkpoints: number }[]];
  expect(counts).toEqual({ rows: ROWS, checkpoints: 1 });
  expect(done.rows).toBe(ROWS);
  expect(done.target).toEqual({ rows: ROWS, sum: done.checksum });
  const [[source, target]] = (await admin.query('CHECKSUM TABLE src.t, dst.t')) as unknown as [{ Checksum: number }[]];
  expect(target!.Checksum).toBe(source!.Checksum);
}

/** A transaction of the test's own that holds the row the chunk needs (id 500, inserted and not committed). */
async function holdRow500(): Promise<mysql.Connection> {
  const blocker = await mysql.createConnection(server.url);
  await blocker.query('START TRANSACTION');
  await blocker.query("INSERT INTO dst.t (id, label) VALUES (500, 'held by the test')");
  return blocker;
}

/** Whether the session waits for a row lock (polled every 250 ms: information_schema.INNODB_TRX takes InnoDB's lock latch). */
async function lockWaitOf(threadId: number): Promise<boolean> {
  const [rows] = await admin.query("SELECT 1 FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = ? AND trx_state = 'LOCK WAIT'", [threadId]);
  return (rows as unknown[]).length > 0;
}

describe('a chunk is retried, not lost or doubled', () => {
  test('after a lock wait timeout (1205)', async () => {
    const h = await harness('SET SESSION innodb_lock_wait_timeout = 1');
    const blocker = await holdRow500();
    try {
      const copy = copyTheChunk(h);
      const error = await h.retried;
      expect([retryReason(error), classifyError(error)]).toEqual(['lock wait timeout', 'retryable']);
      await blocker.query('ROLLBACK');
      await expectCopiedOnce(await copy);
    } finally {
      await blocker.end();
      await h.close();
    }
  });

  test('after a deadlock (1213) in which InnoDB picks the chunk as the victim', async () => {
    const h = await harness();
    const blocker = await holdRow500();
    try {
      // The heavier transaction survives a deadlock: make the test's the heavier one.
      await blocker.query(`INSERT INTO dst.scratch (filler) SELECT 'x' FROM dst.seq_1_to_20000`);
      const copy = copyTheChunk(h);
      // The chunk has inserted ids 1..499 and waits for 500; asking for its row 1 closes the cycle.
      await waitUntil('the chunk waiting for row 500', () => lockWaitOf(h.worker.writer.threadId), 60_000, 250);
      await blocker.query('SELECT id FROM dst.t WHERE id = 1 FOR UPDATE');
      const error = await h.retried;
      expect([retryReason(error), classifyError(error)]).toEqual(['deadlock', 'retryable']);
      await blocker.query('ROLLBACK');
      await expectCopiedOnce(await copy);
    } finally {
      await blocker.end();
      await h.close();
    }
  });

  test('after its target session is killed mid-chunk (a dropped connection): on a new session', async () => {
    const h = await harness();
    const blocker = await holdRow500();
    try {
      const copy = copyTheChunk(h);
      const killed = h.worker.writer.threadId;
      await waitUntil('the chunk waiting for row 500', () => lockWaitOf(killed), 60_000, 250);
      await admin.query(`KILL CONNECTION ${killed}`);
      const error = await h.retried;
      expect(isConnectionLost(error)).toBe(true);
      expect(classifyError(error)).toBe('retryable');
      await blocker.query('ROLLBACK');
      await expectCopiedOnce(await copy);
      expect(h.worker.writer.threadId).not.toBe(killed);
    } finally {
      await blocker.end();
      await h.close();
    }
  });

  test('after its target session was dropped while idle between chunks: on a new session', async () => {
    const h = await harness();
    try {
      const dropped = h.worker.writer.threadId;
      await admin.query(`KILL CONNECTION ${dropped}`);
      await waitUntil('the session gone', async () => {
        const [rows] = await admin.query('SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ?', [dropped]);
        return (rows as unknown[]).length === 0;
      });
      await expectCopiedOnce(await copyTheChunk(h));
      expect(h.retries.map((error) => [isConnectionLost(error), classifyError(error)])).toEqual([[true, 'retryable']]);
      expect(h.worker.writer.threadId).not.toBe(dropped);
    } finally {
      await h.close();
    }
  });
});
