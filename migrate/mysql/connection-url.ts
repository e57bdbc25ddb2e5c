import { UsageError } from '../errors.ts';

/** A parsed mysql:// URL. `database` is undefined when the URL names only the server. */
export interface MysqlEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database?: string;
  /** The URL with the password masked, for messages and reports. */
  readonly display: string;
}

/** Parses `mysql://user:pass@host:port/db`; a bad URL is a usage error naming the flag. */
export function parseMysqlUrl(text: string, flag: string): MysqlEndpoint {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag}: not a URL (expected mysql://user:password@host:3306/database): ${text}`);
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new UsageError(`${flag}: unsupported scheme ${url.protocol} (expected mysql://user:password@host:3306/database)`);
  }
  if (!url.hostname) throw new UsageError(`${flag}: missing host in ${text}`);
  const port = url.port ? Number(url.port) : 3306;
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
  if (database?.includes('/')) throw new UsageError(`${flag}: the path must be a single database name: ${text}`);
  const user = decodeURIComponent(url.username) || 'root';
  const password = decodeURIComponent(url.password);
  const masked = new URL(url.href);
  if (masked.password) masked.password = '***';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    user,
    password,
    ...(database ? { database } : {}),
    display: masked.href,
  };
}

/** The endpoint's database, or a usage error when the URL names none. */
export function requireDatabase(endpoint: MysqlEndpoint, flag: string): string {
  if (!endpoint.database) throw new UsageError(`${flag}: the URL must name a database, e.g. ${endpoint.display.replace(/\/?$/, '/tickets')}`);
  return endpoint.database;
}
