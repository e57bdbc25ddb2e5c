import type mysql from 'mysql2/promise';
import { UsageError } from '../errors.ts';
import type { TableInfo } from '../mysql/schema-reader.ts';
import { readRowIdentities } from './row-identity.ts';

export interface PreconditionInput {
  readonly source: mysql.Connection;
  readonly database: string;
  readonly tables: readonly TableInfo[];
  /** How long the copy is expected to take; the binlog must be kept well beyond that. */
  readonly estimatedCopySeconds: number;
  /** The follower's own replication server id. */
  readonly serverId: number;
}

/** Binlog retention must cover the copy, its verification and the catch-up: three times the estimate, at least an hour. */
export function requiredRetentionSeconds(estimatedCopySeconds: number): number {
  return Math.max(3600, Math.ceil(estimatedCopySeconds * 3));
}

type Row = Record<string, unknown>;

async function variables(source: mysql.Connection, names: readonly string[]): Promise<Map<string, string>> {
  const [rows] = await source.query(`SHOW GLOBAL VARIABLES WHERE Variable_name IN (${names.map(() => '?').join(', ')})`, [...names]);
  return new Map((rows as { Variable_name: string; Value: string }[]).map((row) => [row.Variable_name.toLowerCase(), String(row.Value)]));
}

/** Effective retention in seconds, or undefined when binlogs are never purged by age. */
function retentionSeconds(vars: Map<string, string>): { seconds?: number; setting: string } {
  const seconds = Number(vars.get('binlog_expire_logs_seconds') ?? 0);
  if (seconds > 0) return { seconds, setting: 'binlog_expire_logs_seconds' };
  const days = Number(vars.get('expire_logs_days') ?? 0);
  if (days > 0) return { seconds: days * 86_400, setting: 'expire_logs_days' };
  return { setting: 'none' };
}

/** REPLICATION SLAVE to stream the binlog, REPLICATION CLIENT (BINLOG MONITOR on MariaDB 10.5+) to read positions. */
async function missingPrivileges(source: mysql.Connection): Promise<string[]> {
  const [rows] = await source.query('SHOW GRANTS');
  const grants = (rows as Row[]).map((row) => String(Object.values(row)[0]).toUpperCase());
  const global = grants.filter((grant) => / ON \*\.\* TO /.test(grant));
  const has = (...names: string[]) => global.some((grant) => grant.includes('ALL PRIVILEGES') || names.some((name) => grant.includes(name)));
  const missing: string[] = [];
  if (!has('REPLICATION SLAVE', 'REPLICATION REPLICA')) missing.push('REPLICATION SLAVE');
  if (!has('REPLICATION CLIENT', 'BINLOG MONITOR', 'SUPER')) missing.push('REPLICATION CLIENT');
  return missing;
}

async function cascadingForeignKeys(source: mysql.Connection, database: string, tables: ReadonlySet<string>): Promise<string[]> {
  const [rows] = await source.query(
    `SELECT TABLE_NAME AS tableName, CONSTRAINT_NAME AS name, UPDATE_RULE AS onUpdate, DELETE_RULE AS onDelete
       FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`,
    [database],
  );
  return (rows as { tableName: string; name: string; onUpdate: string; onDelete: string }[])
    .filter((row) => tables.has(row.tableName) && [row.onUpdate, row.onDelete].some((rule) => rule !== 'RESTRICT' && rule !== 'NO ACTION'))
    .map((row) => `${row.tableName}.${row.name}`);
}

async function tablesWithTriggers(source: mysql.Connection, database: string, tables: ReadonlySet<string>): Promise<string[]> {
  const [rows] = await source.query(
    'SELECT EVENT_OBJECT_TABLE AS tableName, TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY 1, 2',
    [database],
  );
  return (rows as { tableName: string; name: string }[]).filter((row) => tables.has(row.tableName)).map((row) => `${row.tableName}.${row.name}`);
}

/**
 * Everything `--follow` needs from the source, checked before anything is copied. Every problem
 * found is named in one line (a UsageError, exit code 2) with the setting or grant that fixes it.
 */
export async function checkFollowPreconditions(input: PreconditionInput): Promise<void> {
  const { source } = input;
  const vars = await variables(source, [
    'log_bin', 'binlog_format', 'binlog_row_image', 'server_id', 'binlog_expire_logs_seconds', 'expire_logs_days',
    'binlog_transaction_compression', 'binlog_row_value_options',
  ]);
  const problems: string[] = [];
  if (vars.get('log_bin') !== 'ON') {
    problems.push('binary logging is off on the source (start it with --log-bin --binlog-format=ROW --binlog-row-image=FULL --server-id=N)');
  } else {
    const format = vars.get('binlog_format') ?? '';
    if (format !== 'ROW') problems.push(`binlog_format is ${format}, the follower needs ROW (SET GLOBAL binlog_format = 'ROW', and in the server's configuration)`);
    const image = vars.get('binlog_row_image') ?? 'FULL';
    if (image !== 'FULL') problems.push(`binlog_row_image is ${image}, the follower needs FULL (SET GLOBAL binlog_row_image = 'FULL')`);
    if (vars.get('binlog_transaction_compression') === 'ON') problems.push('binlog_transaction_compression is ON: compressed MySQL transactions cannot be decoded; turn it off');
    if ((vars.get('binlog_row_value_options') ?? '').includes('PARTIAL_JSON')) problems.push('binlog_row_value_options is PARTIAL_JSON: partial JSON updates cannot be applied; set it to an empty string');
    const retention = retentionSeconds(vars);
    const needed = requiredRetentionSeconds(input.estimatedCopySeconds);
    if (retention.seconds !== undefined && retention.seconds < needed) {
      problems.push(
        `binlog retention is ${retention.seconds} s (${retention.setting}), shorter than the ${needed} s the copy (estimated ${Math.ceil(input.estimatedCopySeconds)} s) and catch-up need; raise it, e.g. SET GLOBAL binlog_expire_logs_seconds = ${Math.max(needed, 86_400)}`,
      );
    }
    if (Number(vars.get('server_id')) === input.serverId) problems.push(`the source's own server_id is ${input.serverId}: give the follower another one with --server-id`);
  }
  const privileges = await missingPrivileges(source);
  if (privileges.length) problems.push(`the source account lacks ${privileges.join(', ')} (GRANT ${privileges.join(', ')} ON *.* TO <the --source user>)`);
  const names = new Set(input.tables.map((table) => table.name));
  const identities = await readRowIdentities(source, input.database, input.tables);
  const withoutKey = input.tables.filter((table) => !identities.has(table.name)).map((table) => table.name);
  if (withoutKey.length) problems.push(`tables without a primary key or NOT NULL unique key cannot be followed: ${withoutKey.join(', ')} (add a key, or leave them out with --exclude)`);
  const cascading = await cascadingForeignKeys(source, input.database, names);
  if (cascading.length) problems.push(`foreign keys with ON DELETE/UPDATE actions (their changes are not in the binlog): ${cascading.join(', ')}`);
  const triggers = await tablesWithTriggers(source, input.database, names);
  if (triggers.length) problems.push(`tables with triggers (the target would run them again for every applied change): ${triggers.join(', ')}`);
  if (problems.length) throw new UsageError(`cannot follow the source's binlog: ${problems.join('; ')}`);
}
