import mysql from 'mysql2/promise';

export interface LiveWriter {
  /** Row changes committed so far. */
  changes(): number;
  /** Transactions refused by a read-only source. */
  refused(): number;
  /** Commit time (ms) of each order the writer inserted, by id: what the lag probe compares against. */
  readonly commits: { id: number; at: number }[];
  stop(): Promise<void>;
}

/**
 * A shop writing `changesPerSecond` row changes to the legacy schema: per transaction one new order,
 * one legacy order updated, one user renamed and one of its own older orders deleted (4 changes),
 * each transaction one round trip, on `connections` sessions.
 */
export async function startLiveWriter(url: string, options: { changesPerSecond: number; users: number; orders: number; connections?: number }): Promise<LiveWriter> {
  const sessions = await Promise.all(Array.from({ length: options.connections ?? 4 }, () => mysql.createConnection({ uri: url, multipleStatements: true })));
  const commits: { id: number; at: number }[] = [];
  const own: number[] = [];
  let changes = 0;
  let refused = 0;
  let running = true;
  let sequence = 0;
  const transactionsPerSecond = options.changesPerSecond / 4;
  const started = Date.now();
  const loops = sessions.map(async (session, index) => {
    while (running) {
      // Paced against the clock: each session owns every n-th transaction slot.
      const slot = sequence++;
      const due = started + (slot * 1000) / transactionsPerSecond;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (!running) break;
      const user = 1 + ((slot * 7919 + index) % options.users);
      const legacyOrder = 1 + ((slot * 104729) % options.orders);
      const victim = own.length > 2_000 ? own.shift() : undefined;
      try {
        const [results] = (await session.query(
          `START TRANSACTION;
           INSERT INTO orders (user_id, event_id, total_cents, created_at) VALUES (${user}, 1, ${slot % 100_000}, NOW());
           UPDATE orders SET total_cents = total_cents + 1 WHERE id = ${legacyOrder};
           UPDATE users SET name = 'buyer ${slot}' WHERE id = ${user};
           ${victim ? `DELETE FROM orders WHERE id = ${victim};` : 'DO 0;'}
           COMMIT`,
        )) as unknown as [mysql.ResultSetHeader[]];
        const id = results[1]!.insertId;
        commits.push({ id, at: Date.now() });
        own.push(id);
        changes += victim ? 4 : 3;
      } catch (error) {
        if ((error as { errno?: number }).errno !== 1290) throw error;
        await session.query('ROLLBACK').catch(() => undefined);
        if (victim) own.unshift(victim);
        refused += 1;
      }
    }
  });
  return {
    changes: () => changes,
    refused: () => refused,
    commits,
    async stop() {
      running = false;
      await Promise.all(loops);
      await Promise.all(sessions.map((session) => session.end().catch(() => undefined)));
    },
  };
}

/**
 * Lag as a buyer would see it: how long ago the oldest order the writer committed but the target
 * does not show yet was committed (0 when the target shows them all). Sampled every `everyMs`.
 */
export async function startLagProbe(targetUrl: string, writer: LiveWriter, everyMs = 100): Promise<{ samples: number[]; stop(): Promise<void> }> {
  const target = await mysql.createConnection(targetUrl);
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const now = Date.now();
      const [[row]] = (await target.query('SELECT MAX(id) AS id FROM orders')) as unknown as [{ id: number }[]];
      const visible = Number(row!.id);
      const pending = writer.commits.filter((commit) => commit.id > visible && commit.at <= now);
      samples.push(pending.length ? (now - Math.min(...pending.map((commit) => commit.at))) / 1000 : 0);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    samples,
    async stop() {
      running = false;
      await loop;
      await target.end();
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
