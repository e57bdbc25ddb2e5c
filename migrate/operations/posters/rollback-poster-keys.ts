import type { Connection } from 'mysql2/promise';
import { setPosterKey, type RewriteTarget } from '../../mysql/poster-table.ts';
import type { RewriteJournal } from '../../state/rewrite-journal.ts';

export interface RollbackReport {
  readonly table: string;
  readonly column: string;
  readonly entries: number;
  readonly restored: number;
  /** Rows that already held their old value (e.g. a change journalled but never committed). */
  readonly alreadyRestored: number;
  /** Rows changed since the rewrite (not by us): left alone and listed. */
  readonly conflicts: readonly { id: string | number; expected: string; found: string | null }[];
  readonly retiredJournal?: string;
}

/**
 * Replays the rewrite journal backwards, putting each row's old value back where the row still
 * holds what the rewrite wrote. A later rewrite of the same row is undone first, so the row ends
 * at the value it had before the first rewrite.
 */
export async function rollbackPosterKeys(options: {
  connection: Connection;
  target: RewriteTarget;
  journal: RewriteJournal;
  dryRun: boolean;
}): Promise<RollbackReport> {
  const { connection, target, journal } = options;
  const entries = await journal.read();
  let restored = 0;
  let alreadyRestored = 0;
  const conflicts: { id: string | number; expected: string; found: string | null }[] = [];
  if (!options.dryRun) await connection.beginTransaction();
  try {
    for (const entry of [...entries].reverse()) {
      const [rows] = await connection.query(
        `SELECT \`${target.keyColumn}\` AS k FROM \`${target.table}\` WHERE \`${target.idColumn}\` = ? FOR UPDATE`,
        [entry.id],
      );
      const found = ((rows as { k: string | null }[])[0]?.k ?? null) as string | null;
      if (found === entry.before) alreadyRestored += 1;
      else if (found !== entry.after) conflicts.push({ id: entry.id, expected: entry.after, found });
      else if (options.dryRun || (await setPosterKey(connection, target, { id: entry.id, from: entry.after, to: entry.before }))) restored += 1;
    }
    if (!options.dryRun) await connection.commit();
  } catch (error) {
    if (!options.dryRun) await connection.rollback().catch(() => undefined);
    throw error;
  }
  const retiredJournal = !options.dryRun && entries.length > 0 && conflicts.length === 0 ? await journal.retire() : undefined;
  return {
    table: target.table, column: target.keyColumn, entries: entries.length, restored, alreadyRestored, conflicts,
    ...(retiredJournal ? { retiredJournal } : {}),
  };
}
