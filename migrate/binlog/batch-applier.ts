import mysql from 'mysql2';
import type { Connection } from 'mysql2/promise';
import { quoteId } from '../mysql/connect.ts';
import type { ColumnInfo } from '../mysql/schema-reader.ts';
import type { FollowTable } from './follow-table.ts';
import type { RowChange, RowImage } from './row-change.ts';

/** Above this many bytes a multi-row statement is sent and a new one begun (well under max_allowed_packet). */
const MAX_STATEMENT_BYTES = 2 * 1024 * 1024;

type Operation = { readonly kind: 'upsert'; readonly row: RowImage } | { readonly kind: 'delete'; readonly row: RowImage };

export interface AppliedBatch {
  readonly statements: number;
  /** `[table, chunk index]` pairs the batch changed. */
  readonly touched: ReadonlyArray<readonly [string, number]>;
}

/** A value as the target must receive it. */
function sqlValue(column: ColumnInfo, value: unknown): string {
  if (value === undefined || value === null) return 'NULL';
  // zongji decodes YEAR as 1900 + the stored byte, so the zero year 0000 arrives as 1900 (not a valid YEAR).
  if (column.dataType === 'year' && value === 1900) return '0';
  return mysql.escape(value as string);
}

function keyText(table: FollowTable, row: RowImage): string {
  return JSON.stringify(table.key.map((name) => {
    const value = row[name];
    return Buffer.isBuffer(value) ? value.toString('hex') : value;
  }));
}

/**
 * Turns one table's changes into idempotent operations in binlog order: INSERT -> upsert of the
 * after image; UPDATE -> upsert (a key change first deletes the old key); DELETE -> delete by key.
 */
function operations(table: FollowTable, changes: readonly RowChange[]): Operation[] {
  const result: Operation[] = [];
  for (const change of changes) {
    if (change.kind === 'insert') result.push({ kind: 'upsert', row: change.after });
    else if (change.kind === 'delete') result.push({ kind: 'delete', row: change.before });
    else {
      if (keyText(table, change.before) !== keyText(table, change.after)) result.push({ kind: 'delete', row: change.before });
      result.push({ kind: 'upsert', row: change.after });
    }
  }
  return result;
}

// Key types whose equality is byte equality: rows can be coalesced by key text without a collation.
const EXACT_KEY_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'decimal', 'date', 'datetime', 'timestamp', 'binary', 'varbinary', 'year']);

/**
 * When a table's key compares byte for byte, only each row's last operation matters: deletes of
 * final-deleted keys first, then one REPLACE of the final images (two statements per table per
 * batch). Safe: at the batch's end no two final images share a unique value (the source enforced
 * it), so a REPLACE can only remove rows that are themselves deleted or rewritten in this batch.
 * Keys under a collation ('a' = 'A') keep their order instead.
 */
function coalesce(table: FollowTable, operations: readonly Operation[]): Operation[] {
  const exact = table.key.every((name) => EXACT_KEY_TYPES.has(table.columns.find((column) => column.name === name)?.dataType ?? ''));
  if (!exact) return [...operations];
  const last = new Map<string, Operation>();
  for (const operation of operations) {
    const key = keyText(table, operation.row);
    last.delete(key); // re-inserted at the end: the map keeps each key's final operation
    last.set(key, operation);
  }
  const final = [...last.values()];
  return [...final.filter((operation) => operation.kind === 'delete'), ...final.filter((operation) => operation.kind === 'upsert')];
}

function* statements(database: string, table: FollowTable, operations: readonly Operation[]): Generator<string> {
  const name = `${quoteId(database)}.${quoteId(table.name)}`;
  const columns = table.columns.map((column) => quoteId(column.name)).join(', ');
  const keyColumns = table.key.map((key) => table.columns.find((column) => column.name === key)!);
  const keyList = table.key.length === 1 ? quoteId(table.key[0]!) : `(${table.key.map(quoteId).join(', ')})`;
  let index = 0;
  while (index < operations.length) {
    const kind = operations[index]!.kind;
    const parts: string[] = [];
    let bytes = 0;
    // A run of operations of one kind: order within the table is kept, each run is one statement.
    while (index < operations.length && operations[index]!.kind === kind && bytes < MAX_STATEMENT_BYTES) {
      const row = operations[index]!.row;
      const part =
        kind === 'upsert'
          ? `(${table.columns.map((column) => sqlValue(column, row[column.name])).join(', ')})`
          : keyColumns.length === 1
            ? sqlValue(keyColumns[0]!, row[keyColumns[0]!.name])
            : `(${keyColumns.map((column) => sqlValue(column, row[column.name])).join(', ')})`;
      parts.push(part);
      bytes += part.length;
      index += 1;
    }
    // REPLACE, not INSERT ... ON DUPLICATE KEY UPDATE: a row conflicting on another unique key is
    // replaced too, as the source's later state demands, where ODKU would update the wrong row.
    yield kind === 'upsert'
      ? `REPLACE INTO ${name} (${columns}) VALUES ${parts.join(', ')}`
      : `DELETE FROM ${name} WHERE ${keyList} IN (${parts.join(', ')})`;
  }
}

/**
 * Applies a batch of source transactions to the target inside the caller's transaction: per table
 * in binlog order (rows of different tables never interact with foreign_key_checks=0), runs of
 * upserts or deletes as multi-row statements. Idempotent: applying a batch twice leaves the same rows.
 */
export async function applyChanges(
  connection: Connection,
  database: string,
  tables: ReadonlyMap<string, FollowTable>,
  changes: readonly RowChange[],
): Promise<AppliedBatch> {
  const byTable = new Map<string, RowChange[]>();
  for (const change of changes) {
    const list = byTable.get(change.table);
    if (list) list.push(change);
    else byTable.set(change.table, [change]);
  }
  let count = 0;
  const touched = new Map<string, readonly [string, number]>();
  for (const [name, list] of byTable) {
    const table = tables.get(name);
    if (!table) continue;
    for (const change of list) {
      for (const row of change.kind === 'update' ? [change.before, change.after] : [change.kind === 'insert' ? change.after : change.before]) {
        const chunk = table.chunkOf(row);
        touched.set(`${name}\u0000${chunk}`, [name, chunk]);
      }
    }
    for (const sql of statements(database, table, coalesce(table, operations(table, list)))) {
      await connection.query(sql);
      count += 1;
    }
  }
  return { statements: count, touched: [...touched.values()] };
}
