import type mysql from 'mysql2/promise';
import { readTables, type TableInfo } from '../mysql/schema-reader.ts';
import { CheckpointStore } from '../state/checkpoint-store.ts';
import { formatPosition } from './binlog-position.ts';
import { FollowStoppedError } from './follow-errors.ts';
import type { FollowState, FollowStateStore } from './follow-state.ts';
import { followTable, type FollowTable } from './follow-table.ts';
import { readRowIdentities } from './row-identity.ts';

/** The applier's target session. */
export async function prepareApplierSession(connection: mysql.Connection): Promise<void> {
  // Unique checks stay on: REPLACE relies on them. Foreign keys off: tables are applied in batch
  // order per table, not across tables, and the source already enforced them.
  await connection.query(
    "SET SESSION foreign_key_checks = 0, sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00', net_read_timeout = 600, net_write_timeout = 600",
  );
  await connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
}

function columnsText(table: TableInfo): string {
  return table.columns.map((column) => `${column.name} ${column.columnType}`).join(', ');
}

/** Source and target must have the same columns before rows are applied (a DDL not yet applied shows here). */
function schemaDifferences(source: readonly TableInfo[], target: readonly TableInfo[]): string[] {
  const targets = new Map(target.map((table) => [table.name, table]));
  return source.flatMap((table) => {
    const other = targets.get(table.name);
    if (!other) return [`${table.name} is missing on the target`];
    return columnsText(table) === columnsText(other) ? [] : [`${table.name} has different columns on the target`];
  });
}

export interface FollowedTables {
  readonly names: ReadonlySet<string>;
  readonly sourceTables: readonly TableInfo[];
  readonly tables: ReadonlyMap<string, FollowTable>;
}

/**
 * The followed tables as the applier needs them (columns, identifying key, copy chunks), after
 * checking that source and target have the same columns: a DDL the engineer has not applied yet is named.
 */
export async function loadFollowedTables(input: {
  readonly sourceDatabase: string;
  readonly targetDatabase: string;
  readonly stateSchema: string;
  readonly state: FollowState;
  readonly store: FollowStateStore;
  readonly target: mysql.Connection;
  readonly sourceControl: mysql.Connection;
}): Promise<FollowedTables> {
  const { state, store, target, sourceControl } = input;
  const names = new Set(state.tables);
  const sourceTables = (await readTables(sourceControl, input.sourceDatabase)).filter((table) => names.has(table.name));
  const targetTables = (await readTables(target, input.targetDatabase)).filter((table) => names.has(table.name));
  const differences = schemaDifferences(sourceTables, targetTables);
  if (differences.length) {
    const pending = state.pendingDdl ? ` (the DDL at ${formatPosition(state.applied)} is not applied to the target yet: ${state.pendingDdl.replace(/\s+/g, ' ').slice(0, 200)})` : '';
    throw new FollowStoppedError(`source and target schemas differ: ${differences.join('; ')}${pending}`);
  }
  if (state.phase === 'ddl') await store.resumeAfterDdl(target);
  const identities = await readRowIdentities(sourceControl, input.sourceDatabase, sourceTables);
  const plans = await new CheckpointStore(input.stateSchema, input.targetDatabase).load(target).catch(() => new Map());
  const tables = new Map<string, FollowTable>(
    sourceTables.map((table) => [table.name, followTable(table, identities.get(table.name) ?? table.primaryKey, plans.get(table.name)?.chunks ?? [{ index: 0 }])]),
  );
  return { names, sourceTables, tables };
}
