import type { Connection } from 'mysql2/promise';
import type { ProgressCounters } from '../../progress/counters.ts';
import type { FileResult } from './sync-report.ts';
import { PosterPathResolver } from './poster-path-resolver.ts';
import { readPosterRows, setPosterKey, type RewriteTarget } from '../../mysql/poster-table.ts';
import type { JournalEntry, RewriteJournal } from '../../state/rewrite-journal.ts';

export interface RewriteReport {
  readonly table: string;
  readonly column: string;
  readonly rows: number;
  readonly rewritten: number;
  readonly alreadyCurrent: number;
  readonly withoutPath: number;
  /** Rows whose poster_path names no file under --from: reported, left as they are. */
  readonly missingFile: readonly { id: string | number; path: string }[];
  /** Rows whose file did not end in a verified object this run: left as they are. */
  readonly notVerified: readonly { id: string | number; path: string }[];
  /** Rows changed by someone else between our read and our write: left to them. */
  readonly conflicts: number;
  readonly wouldRewrite: number;
  readonly journal: string;
}

export const REWRITE_TASK = 'rewrite';
const BATCH = 500;

/**
 * Points each row at its file's object key, only once that object is verified. Re-runnable: a row
 * already holding the key is left alone; each change is journalled (fsync) before it is committed,
 * so --rollback can put every old value back.
 */
export async function rewritePosterKeys(options: {
  connection: Connection;
  target: RewriteTarget;
  from: string;
  results: readonly FileResult[];
  journal: RewriteJournal;
  dryRun: boolean;
  counters?: ProgressCounters;
}): Promise<RewriteReport> {
  const { connection, target, journal, counters } = options;
  const byPath = new Map(options.results.map((result) => [result.relativePath, result]));
  const resolver = new PosterPathResolver(options.from, byPath.keys());
  const missingFile: { id: string | number; path: string }[] = [];
  const notVerified: { id: string | number; path: string }[] = [];
  let rows = 0;
  let rewritten = 0;
  let alreadyCurrent = 0;
  let withoutPath = 0;
  let conflicts = 0;
  let wouldRewrite = 0;
  counters?.addTask(REWRITE_TASK);
  counters?.start(REWRITE_TASK);
  for await (const page of readPosterRows(connection, target)) {
    const changes: JournalEntry[] = [];
    for (const row of page) {
      rows += 1;
      if (row.path === null || row.path === '') {
        withoutPath += 1;
        continue;
      }
      const relativePath = resolver.resolve(row.path);
      const result = relativePath === undefined ? undefined : byPath.get(relativePath);
      if (!result) missingFile.push({ id: row.id, path: row.path });
      else if (!result.verified || !result.key) notVerified.push({ id: row.id, path: row.path });
      else if (row.key === result.key) alreadyCurrent += 1;
      else changes.push({ id: row.id, before: row.key, after: result.key, path: row.path });
    }
    if (options.dryRun) wouldRewrite += changes.length;
    else {
      for (let start = 0; start < changes.length; start += BATCH) {
        const batch = changes.slice(start, start + BATCH);
        await journal.append(batch);
        await connection.beginTransaction();
        try {
          for (const change of batch) {
            if (await setPosterKey(connection, target, { id: change.id, from: change.before, to: change.after, path: change.path })) rewritten += 1;
            else conflicts += 1;
          }
          await connection.commit();
        } catch (error) {
          await connection.rollback().catch(() => undefined);
          throw error;
        }
      }
    }
    counters?.advance(REWRITE_TASK, page.length);
  }
  counters?.finish(REWRITE_TASK);
  return {
    table: target.table, column: target.keyColumn, rows, rewritten, alreadyCurrent, withoutPath, missingFile, notVerified, conflicts,
    wouldRewrite, journal: journal.file,
  };
}
