import mysql from 'mysql2/promise';
import type { MysqlEndpoint } from './connection-url.ts';

/** Every session of this tool says who it is (performance_schema.session_connect_attrs, where enabled). */
export const PROGRAM_NAME = 'ticketkit-migrate';

export interface ConnectOptions {
  /** Database to select; defaults to none so a missing database can be created first. */
  readonly database?: string;
  readonly multipleStatements?: boolean;
}

/**
 * A connection whose session never shifts values: UTC time zone for TIMESTAMP, strings for dates
 * and big numbers (no JS Date or float rounding), utf8mb4 for text.
 */
export async function connect(endpoint: MysqlEndpoint, options: ConnectOptions = {}): Promise<mysql.Connection> {
  const connection = await mysql.createConnection({
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    password: endpoint.password,
    ...(options.database ? { database: options.database } : {}),
    charset: 'utf8mb4',
    multipleStatements: options.multipleStatements ?? false,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    timezone: 'Z',
    connectTimeout: 10_000,
    connectAttributes: { program_name: PROGRAM_NAME },
  });
  // A session the server drops while idle (KILL, restart, idle timeout) would otherwise be an
  // unhandled 'error' event that ends the process; the next query on it fails instead, and whoever
  // sent it decides (retry on a new connection, or report).
  connection.on('error', () => undefined);
  await connection.query("SET time_zone = '+00:00'");
  return connection;
}

/** Backquotes an identifier (table, column, database); never interpolate a name any other way. */
export function quoteId(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}
