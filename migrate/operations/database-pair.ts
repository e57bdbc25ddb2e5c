import type { MysqlEndpoint } from '../mysql/connection-url.ts';

/** The source and target of a copy or a verification, which tables, and how many workers in chunks of what size. */
export interface DatabasePair {
  readonly source: MysqlEndpoint;
  readonly target: MysqlEndpoint;
  readonly sourceDatabase: string;
  readonly targetDatabase: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly parallel: number;
  readonly chunkRows: number;
}
