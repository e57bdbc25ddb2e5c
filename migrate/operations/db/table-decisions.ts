import type mysql from 'mysql2/promise';
import { UsageError } from '../../errors.ts';
import { quoteId } from '../../mysql/connect.ts';
import type { TableInfo } from '../../mysql/schema-reader.ts';
import type { TableCheckpoint } from '../../state/checkpoint-store.ts';

/** What happens to each selected table: copied from scratch, continued, or already complete. */
export type TableAction = 'create' | 'continue' | 'complete';

export interface TableDecision {
  readonly table: TableInfo;
  readonly action: TableAction;
  /** The target table exists and must be dropped before `create`. */
  readonly dropFirst: boolean;
  readonly checkpoint?: TableCheckpoint;
}

export interface DecideInput {
  readonly target: mysql.Connection;
  readonly targetDatabase: string;
  readonly targetExists: boolean;
  readonly tables: readonly TableInfo[];
  readonly checkpoints: ReadonlyMap<string, TableCheckpoint>;
  readonly resume: boolean;
  readonly overwrite: boolean;
}

async function existingTables(target: mysql.Connection, database: string): Promise<Set<string>> {
  const [rows] = await target.query("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", [database]);
  return new Set((rows as { name: string }[]).map((row) => row.name));
}

async function hasRows(target: mysql.Connection, database: string, table: string): Promise<boolean> {
  const [rows] = await target.query(`SELECT 1 FROM ${quoteId(database)}.${quoteId(table)} LIMIT 1`);
  return (rows as unknown[]).length > 0;
}

/**
 * Safe by default: a target table that already has rows is only written with --resume (continuing
 * this tool's own checkpoints) or --overwrite (dropping it). Nothing is written here.
 */
export async function decideTableActions(input: DecideInput): Promise<TableDecision[]> {
  const existing = input.targetExists ? await existingTables(input.target, input.targetDatabase) : new Set<string>();
  const decisions: TableDecision[] = [];
  const refused: string[] = [];
  for (const table of input.tables) {
    const checkpoint = input.checkpoints.get(table.name);
    const exists = existing.has(table.name);
    if (input.resume && checkpoint && exists) {
      decisions.push({ table, action: checkpoint.phase === 'complete' ? 'complete' : 'continue', dropFirst: false, checkpoint });
      continue;
    }
    if (exists && !input.overwrite && (await hasRows(input.target, input.targetDatabase, table.name))) {
      refused.push(table.name);
      continue;
    }
    decisions.push({ table, action: 'create', dropFirst: exists });
  }
  if (refused.length > 0) {
    const hint = input.resume ? 'they were not written by an interrupted copy; pass --overwrite to replace them' : 'pass --resume to continue an interrupted copy or --overwrite to replace them';
    throw new UsageError(`target tables already have rows: ${refused.join(', ')} (${hint})`);
  }
  return decisions;
}
