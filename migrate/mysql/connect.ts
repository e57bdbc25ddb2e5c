import mysql from 'mysql2/promise';
import type { MysqlEndpoint } from './connection-url.ts';

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
  });
  await connection.query("SET time_zone = '+00:00'");
  return connection;
}

/** Backquotes an identifier (table, column, database); never interpolate a name any other way. */
export function quoteId(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}
