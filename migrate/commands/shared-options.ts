import type { Command } from 'commander';
import { parseMysqlUrl, requireDatabase, type MysqlEndpoint } from '../mysql/connection-url.ts';
import { parseList, parsePositiveInt } from './option-parsers.ts';
import type { DatabasePair } from '../operations/database-pair.ts';

/** Defaults of the copy and verify knobs, in one place. */
export const DEFAULT_PARALLEL = 4;
export const DEFAULT_CHUNK_ROWS = 50_000;

export interface TableSelectionOptions {
  tables?: string[];
  exclude?: string[];
}

export function addTableSelection(command: Command): Command {
  return command
    .option('--tables <names>', 'only these tables (comma-separated)', parseList)
    .option('--exclude <names>', 'all tables except these (comma-separated)', parseList);
}

export function addParallelism(command: Command): Command {
  return command
    .option('--parallel <n>', 'parallel readers/writers, all in one consistent snapshot', parsePositiveInt, DEFAULT_PARALLEL)
    .option('--chunk-rows <n>', 'rows per primary-key range (one transaction and checkpoint each)', parsePositiveInt, DEFAULT_CHUNK_ROWS);
}

export interface ResolvedDatabase {
  readonly endpoint: MysqlEndpoint;
  readonly database: string;
}

/** Parses a --source/--target URL that must name a database (usage error otherwise). */
export function resolveDatabaseUrl(url: string, flag: string): ResolvedDatabase {
  const endpoint = parseMysqlUrl(url, flag);
  return { endpoint, database: requireDatabase(endpoint, flag) };
}

/** The flags `db` and `verify` share: --source, --target, the table selection, --parallel and --chunk-rows. */
export interface DatabasePairOptions extends TableSelectionOptions {
  source: string;
  target: string;
  parallel: number;
  chunkRows: number;
  json?: boolean;
}

/** The source/target pair and table selection that `db` and `verify` both pass to their operation. */
export function databasePair(options: DatabasePairOptions): DatabasePair {
  const source = resolveDatabaseUrl(options.source, '--source');
  const target = resolveDatabaseUrl(options.target, '--target');
  return {
    source: source.endpoint,
    target: target.endpoint,
    sourceDatabase: source.database,
    targetDatabase: target.database,
    include: options.tables ?? [],
    exclude: options.exclude ?? [],
    parallel: options.parallel,
    chunkRows: options.chunkRows,
  };
}
