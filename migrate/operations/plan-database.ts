import { UsageError } from '../errors.ts';
import type { MysqlEndpoint } from '../mysql/connection-url.ts';
import type mysql from 'mysql2/promise';
import { readSchemaObjects, type ObjectKind } from '../mysql/schema-objects.ts';
import { readDatabaseInfo, readTables, selectTables, type TableInfo } from '../mysql/schema-reader.ts';

/**
 * Rows per second of copy + verify measured by `npm run bench:migrate` on the 2-core CI machine;
 * only a rough guide for other hardware.
 */
export const BENCH_ROWS_PER_SECOND = 100_000;

export interface PlannedTable {
  readonly name: string;
  readonly engine: string;
  readonly rowsEstimate: number;
  readonly dataBytes: number;
  readonly indexBytes: number;
  readonly chunks: number;
  readonly notes: readonly string[];
}

export interface PlannedObject {
  readonly kind: ObjectKind | 'event';
  readonly name: string;
  readonly note: string;
}

export interface PlanReport {
  readonly source: string;
  readonly server: string;
  readonly binlog: string;
  readonly charset: string;
  readonly collation: string;
  readonly tables: readonly PlannedTable[];
  readonly objects: readonly PlannedObject[];
  readonly totals: { readonly rows: number; readonly bytes: number };
  readonly estimatedSeconds: number;
}

const SPATIAL = new Set(['geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection']);

export function tableNotes(table: TableInfo): string[] {
  const notes: string[] = [];
  if (table.primaryKey.length === 0) {
    notes.push('no primary key: one chunk in one transaction (no parallel ranges, restarts from zero on resume), differing rows cannot be named by key');
  } else if (!table.integerKey) {
    notes.push('primary key is not a single integer: copied as one chunk in key order (slower, restarts from zero on resume)');
  }
  const generated = table.columns.filter((column) => column.generated).map((column) => column.name);
  if (generated.length) notes.push(`generated columns recomputed by the target: ${generated.join(', ')}`);
  const spatial = table.columns.filter((column) => SPATIAL.has(column.dataType)).map((column) => column.name);
  if (spatial.length) notes.push(`spatial columns are untested: ${spatial.join(', ')}`);
  if (table.engine.toLowerCase() !== 'innodb') notes.push(`engine ${table.engine}: not transactional, a crash mid-chunk may leave partial rows (use --overwrite instead of --resume)`);
  return notes;
}

/** The `plan` use case: read-only look at the source, what needs attention and roughly how long. */
export async function planDatabase(
  connection: mysql.Connection,
  options: {
    source: MysqlEndpoint;
    database: string;
    include: readonly string[];
    exclude: readonly string[];
    chunkRows: number;
  },
): Promise<PlanReport> {
  const info = await readDatabaseInfo(connection, options.database);
  if (!info) throw new UsageError(`source database ${options.database} does not exist on ${options.source.display}`);
  const { selected, unknown } = selectTables(await readTables(connection, options.database), options.include, options.exclude);
  if (unknown.length) throw new UsageError(`no such table in the source: ${unknown.join(', ')}`);
  const [[server]] = (await connection.query('SELECT VERSION() AS version, @@version_comment AS comment, @@log_bin AS logBin')) as unknown as [
    { version: string; comment: string; logBin: number | string }[],
  ];
  const objects: PlannedObject[] = (await readSchemaObjects(connection, options.database, selected.map((table) => table.name))).map((object) => {
    const definer = /DEFINER=(\S+)/.exec(object.createSql)?.[1];
    const note = !object.createSql
      ? 'definition not readable by this user: cannot be recreated'
      : `created after the data${definer ? `; definer ${definer} must exist on the target or creating it needs SET_USER_ID/SUPER` : ''}`;
    return { kind: object.kind, name: object.name, note };
  });
  const [events] = await connection.query('SELECT EVENT_NAME AS name FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?', [options.database]);
  for (const event of events as { name: string }[]) objects.push({ kind: 'event', name: event.name, note: 'scheduled events are not copied: recreate them on the target' });
  const tables = selected.map((table) => ({
    name: table.name,
    engine: table.engine,
    rowsEstimate: table.rowsEstimate,
    dataBytes: table.dataBytes,
    indexBytes: table.indexBytes,
    chunks: table.integerKey ? Math.max(1, Math.ceil(table.rowsEstimate / options.chunkRows)) : 1,
    notes: tableNotes(table),
  }));
  const rows = tables.reduce((sum, table) => sum + table.rowsEstimate, 0);
  const bytes = tables.reduce((sum, table) => sum + table.dataBytes + table.indexBytes, 0);
  return {
    source: options.source.display,
    server: `${server!.version} (${server!.comment})`,
    binlog: Number(server!.logBin) === 1 ? 'on: the snapshot position is recorded for a catch-up' : 'off: no position can be recorded for a catch-up',
    charset: info.charset,
    collation: info.collation,
    tables,
    objects,
    totals: { rows, bytes },
    estimatedSeconds: Math.ceil(rows / BENCH_ROWS_PER_SECOND) + 1,
  };
}
