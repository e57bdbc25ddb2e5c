import path from 'node:path';
import { UsageError } from '../errors.ts';
import { MIB, oneOfFlag, parseBytes, wholeNumberFlag } from './option-parsers.ts';
import { defaultCacheControl, normalisePrefix, type KeyStyle } from '../operations/posters/object-key.ts';
import { defaultStateDir, isInside } from '../state/poster-state-dir.ts';
import type { VerifyMode } from '../s3/verify-object.ts';
import { parseMysqlUrl, requireDatabase, type MysqlEndpoint } from '../mysql/connection-url.ts';
import type { RewriteTarget } from '../mysql/poster-table.ts';


/** Every default of `posters` and `verify-posters`, in one place. */
export const POSTER_DEFAULTS = {
  prefix: 'posters/',
  concurrency: 16,
  /** Files up to this size go in one PUT; larger ones in parts of this size (S3 minimum: 5 MiB). */
  partSize: 8 * MIB,
  /** Parts of one large file in flight at once. */
  queueSize: 4,
  /** File bytes held in memory at once over all uploads in flight. */
  memoryMiB: 24,
  keyStyle: 'hashed' as KeyStyle,
  verify: 'checksum' as VerifyMode,
  retries: 5,
  table: 'events',
  idColumn: 'id',
  pathColumn: 'poster_path',
  keyColumn: 'poster_key',
} as const;

/** Options as commander hands them over (strings, booleans). */
export interface RawPosterOptions {
  from?: string;
  bucket?: string;
  prefix?: string;
  endpoint?: string;
  region?: string;
  concurrency?: string;
  partSize?: string;
  queueSize?: string;
  memory?: string;
  keyStyle?: string;
  cacheControl?: string;
  verify?: string;
  recheck?: boolean;
  dryRun?: boolean;
  json?: boolean;
  followSymlinks?: boolean;
  stateDir?: string;
  retries?: string;
  rewriteDb?: string;
  table?: string;
  idColumn?: string;
  pathColumn?: string;
  keyColumn?: string;
  rollback?: boolean;
}

/** --rewrite-db and the names of the table and columns to rewrite. */
export interface RewriteOptions extends RewriteTarget {
  readonly endpoint: MysqlEndpoint;
  readonly database: string;
}

export interface PosterOptions {
  readonly from: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly concurrency: number;
  readonly partSize: number;
  readonly queueSize: number;
  readonly memoryBudget: number;
  readonly keyStyle: KeyStyle;
  readonly cacheControl: string;
  readonly verify: VerifyMode;
  readonly recheck: boolean;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly followSymlinks: boolean;
  readonly stateDir: string;
  readonly retries: number;
  readonly rewrite?: RewriteOptions;
  readonly rollback: boolean;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,63}$/;

/** Validates raw flags into typed options with defaults; every problem is one UsageError line. */
export function parsePosterOptions(raw: RawPosterOptions, env: NodeJS.ProcessEnv): PosterOptions {
  if (!raw.from) throw new UsageError('--from DIR is required (the directory holding the poster files)');
  if (!raw.bucket) throw new UsageError('--bucket NAME is required');
  const from = path.resolve(raw.from);
  const prefix = normalisePrefix(raw.prefix ?? POSTER_DEFAULTS.prefix);
  const keyStyle = oneOfFlag(raw.keyStyle ?? POSTER_DEFAULTS.keyStyle, ['hashed', 'path'] as const, '--key-style');
  const endpoint = raw.endpoint ? parseEndpoint(raw.endpoint) : undefined;
  const stateDir = path.resolve(raw.stateDir ?? defaultStateDir({ from, endpoint, bucket: raw.bucket, prefix }, env));
  if (isInside(stateDir, from)) throw new UsageError(`--state-dir ${stateDir} is inside --from ${from}; keep the manifest outside the files it describes`);
  const partSize = parseBytes(raw.partSize, POSTER_DEFAULTS.partSize, '--part-size');
  if (partSize < 5 * MIB) throw new UsageError(`--part-size must be at least 5MiB (S3's smallest part), got ${raw.partSize}`);
  const rewrite = raw.rewriteDb ? parseRewrite(raw) : undefined;
  if (raw.rollback && !rewrite) throw new UsageError('--rollback needs --rewrite-db (the database whose rows to restore)');
  return {
    from,
    bucket: raw.bucket,
    prefix,
    endpoint,
    region: raw.region,
    concurrency: wholeNumberFlag(raw.concurrency, POSTER_DEFAULTS.concurrency, '--concurrency'),
    partSize,
    queueSize: wholeNumberFlag(raw.queueSize, POSTER_DEFAULTS.queueSize, '--queue-size'),
    memoryBudget: wholeNumberFlag(raw.memory, POSTER_DEFAULTS.memoryMiB, '--memory') * MIB,
    keyStyle,
    cacheControl: raw.cacheControl ?? defaultCacheControl(keyStyle),
    verify: oneOfFlag(raw.verify ?? POSTER_DEFAULTS.verify, ['checksum', 'download', 'size'] as const, '--verify'),
    recheck: raw.recheck ?? false,
    dryRun: raw.dryRun ?? false,
    json: raw.json ?? false,
    followSymlinks: raw.followSymlinks ?? false,
    stateDir,
    retries: wholeNumberFlag(raw.retries, POSTER_DEFAULTS.retries, '--retries'),
    rewrite,
    rollback: raw.rollback ?? false,
  };
}

function parseRewrite(raw: RawPosterOptions): RewriteOptions {
  const endpoint = parseMysqlUrl(raw.rewriteDb!, '--rewrite-db');
  const database = requireDatabase(endpoint, '--rewrite-db');
  const names = {
    table: raw.table ?? POSTER_DEFAULTS.table,
    idColumn: raw.idColumn ?? POSTER_DEFAULTS.idColumn,
    pathColumn: raw.pathColumn ?? POSTER_DEFAULTS.pathColumn,
    keyColumn: raw.keyColumn ?? POSTER_DEFAULTS.keyColumn,
  };
  for (const [flag, value] of Object.entries(names)) {
    if (!IDENTIFIER.test(value)) throw new UsageError(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a plain SQL identifier, got ${JSON.stringify(value)}`);
  }
  return { endpoint, database, ...names };
}

function parseEndpoint(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  throw new UsageError(`--endpoint must be an http(s) URL, got ${JSON.stringify(value)}`);
}
