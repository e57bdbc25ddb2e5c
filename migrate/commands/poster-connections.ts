import type { S3Client } from '@aws-sdk/client-s3';
import type mysql from 'mysql2/promise';
import { CliError, ConnectionError, UsageError } from '../errors.ts';
import { FatalS3Error } from '../operations/posters/sync-file.ts';
import { classifyError, errorCodeOf } from '../retry/error-class.ts';
import { createS3Client } from '../s3/s3-client.ts';
import type { CommandContext } from './command-module.ts';
import type { PosterOptions, RewriteOptions } from './poster-options.ts';

/** The S3 client of a posters run (the one place it is created). */
export function openPosterBucket(options: PosterOptions, context: CommandContext, maxSockets: number): S3Client {
  return createS3Client({ endpoint: options.endpoint, region: options.region, env: context.env, maxSockets });
}

/**
 * The --rewrite-db connection, through the shared MySQL connection code, checked before anything is
 * uploaded: a wrong URL or a missing column stops the run first. mysql2 loads only when it is needed.
 */
export async function openRewriteDatabase(rewrite: RewriteOptions): Promise<mysql.Connection> {
  const [{ connect }, { assertPosterColumns }] = await Promise.all([import('../mysql/connect.ts'), import('../mysql/poster-table.ts')]);
  let connection: mysql.Connection;
  try {
    connection = await connect(rewrite.endpoint, { database: rewrite.database });
  } catch (error) {
    throw new ConnectionError(`cannot connect to --rewrite-db ${rewrite.endpoint.display}: ${describe(error)}`);
  }
  try {
    await assertPosterColumns(connection, rewrite);
  } catch (error) {
    await connection.end().catch(() => undefined);
    throw error;
  }
  return connection;
}

/**
 * Turns what stopped a posters run into the CLI's vocabulary: missing credentials are a usage error,
 * a fatal or network S3 failure a connection error naming the bucket (both exit 2, one line); anything
 * else passes on unchanged (a bug: exit 3).
 */
export function asPosterCliError(error: unknown, options: PosterOptions): unknown {
  if (error instanceof CliError) return error;
  const original = error instanceof FatalS3Error ? error.original : error;
  if (isMissingCredentials(original)) {
    return new UsageError(
      `no AWS credentials for s3://${options.bucket}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run where an instance role is available`,
    );
  }
  const where = `s3://${options.bucket}/${options.prefix}${options.endpoint ? ` at ${options.endpoint}` : ''}`;
  if (error instanceof FatalS3Error || classifyError(original) === 'fatal' || isS3OrNetworkError(original)) {
    return new ConnectionError(`cannot use ${where}: ${describe(original)}`);
  }
  return error;
}

function isMissingCredentials(error: unknown): boolean {
  return errorCodeOf(error) === 'CredentialsProviderError';
}

function isS3OrNetworkError(error: unknown): boolean {
  const e = error as { $metadata?: unknown; code?: unknown } | null;
  return Boolean(e && (e.$metadata !== undefined || typeof e.code === 'string'));
}

function describe(error: unknown): string {
  const code = errorCodeOf(error);
  const message = error instanceof Error ? error.message.split('\n', 1)[0]! : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
