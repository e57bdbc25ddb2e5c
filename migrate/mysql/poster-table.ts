import type { Connection, RowDataPacket, ResultSetHeader } from 'mysql2/promise';
import { CliError } from '../errors.ts';

/** The table and columns whose rows point at the posters (flags --table, --id-column, --path-column, --key-column). */
export interface RewriteTarget {
  readonly table: string;
  readonly idColumn: string;
  readonly pathColumn: string;
  readonly keyColumn: string;
}

export interface PosterRow {
  readonly id: string | number;
  readonly path: string | null;
  readonly key: string | null;
}

const q = (identifier: string): string => `\`${identifier}\``;

/** Stops with one line unless the table and all three columns exist; never adds a column itself. */
export async function assertPosterColumns(connection: Connection, target: RewriteTarget): Promise<void> {
  const [rows] = await connection.query<RowDataPacket[]>(
    'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    [target.table],
  );
  const columns = new Set(rows.map((row) => String(row.name)));
  if (columns.size === 0) throw new CliError(`table ${target.table} not found in the --rewrite-db database`);
  for (const column of [target.idColumn, target.pathColumn]) {
    if (!columns.has(column)) throw new CliError(`column ${target.table}.${column} not found in the --rewrite-db database`);
  }
  if (!columns.has(target.keyColumn)) {
    // The API's schema migration owns this column; adding it here would make that migration fail.
    throw new CliError(
      `column ${target.table}.${target.keyColumn} does not exist: start the API once against this database (its migration adds it) or pass --key-column`,
    );
  }
}

/** Rows in primary-key order, a page at a time (`WHERE id > ?`, never OFFSET). */
export async function* readPosterRows(connection: Connection, target: RewriteTarget, pageSize = 1000): AsyncGenerator<PosterRow[]> {
  const select = `SELECT ${q(target.idColumn)} AS id, ${q(target.pathColumn)} AS path, ${q(target.keyColumn)} AS k FROM ${q(target.table)}`;
  let last: string | number | undefined;
  for (;;) {
    const [rows] = await connection.query<RowDataPacket[]>(
      last === undefined ? `${select} ORDER BY ${q(target.idColumn)} LIMIT ?` : `${select} WHERE ${q(target.idColumn)} > ? ORDER BY ${q(target.idColumn)} LIMIT ?`,
      last === undefined ? [pageSize] : [last, pageSize],
    );
    if (rows.length === 0) return;
    yield rows.map((row) => ({ id: row.id as string | number, path: (row.path as string | null) ?? null, key: (row.k as string | null) ?? null }));
    last = rows[rows.length - 1]!.id as string | number;
    if (rows.length < pageSize) return;
  }
}

/** Sets the key only if the row still holds what we read (`<=>`: NULL-safe); false when it moved on. */
export async function setPosterKey(
  connection: Connection,
  target: RewriteTarget,
  change: { id: string | number; from: string | null; to: string | null; path?: string | null },
): Promise<boolean> {
  const pathGuard = change.path === undefined || target.pathColumn === target.keyColumn ? '' : ` AND ${q(target.pathColumn)} <=> ?`;
  const [result] = await connection.query<ResultSetHeader>(
    `UPDATE ${q(target.table)} SET ${q(target.keyColumn)} = ? WHERE ${q(target.idColumn)} = ? AND ${q(target.keyColumn)} <=> ?${pathGuard}`,
    pathGuard ? [change.to, change.id, change.from, change.path] : [change.to, change.id, change.from],
  );
  return result.affectedRows === 1;
}
