import type { CommandContext } from '../commands/command-module.ts';
import { ConnectionError, MismatchError } from '../errors.ts';
import { ProgressCounters } from '../progress/counters.ts';
import { createReporter } from '../progress/create-reporter.ts';
import { redact, type PosterOptions } from './posters-options.ts';
import { errorCodeOf } from './retry.ts';
import { createS3Client } from './s3-client.ts';
import { verifyPosters, type VerifyPostersReport } from './verify-posters.ts';

/** `bin/migrate verify-posters`: exit 0 when everything matches, 1 with the first mismatch otherwise. */
export async function runVerifyPosters(options: PosterOptions, context: CommandContext): Promise<void> {
  const client = createS3Client({ endpoint: options.endpoint, region: options.region, env: context.env, maxSockets: options.concurrency });
  const connection = options.rewrite ? await connect(options.rewrite.url) : undefined;
  const counters = new ProgressCounters('files');
  const reporter = createReporter({ json: options.json, stream: options.json ? context.stdout : context.stderr });
  reporter.start(counters);
  let report: VerifyPostersReport;
  try {
    if (connection && options.rewrite) {
      const { assertPosterColumns } = await import('./rewrite/poster-table.ts');
      await assertPosterColumns(connection, options.rewrite);
    }
    report = await verifyPosters(options, { client, connection, counters });
  } catch (error) {
    if ((error as { $metadata?: unknown }).$metadata !== undefined) {
      throw new ConnectionError(`cannot use s3://${options.bucket}/${options.prefix}: ${errorCodeOf(error) ?? ''} ${(error as Error).message}`.trim());
    }
    throw error;
  } finally {
    reporter.stop();
    await connection?.end();
    client.destroy();
  }
  if (options.json) context.stdout.write(`${JSON.stringify({ type: 'report', ...report })}\n`);
  else {
    const lines = [`${report.files} files: ${report.matching} match, ${report.mismatches.length} do not`];
    for (const mismatch of report.mismatches.slice(0, 20)) lines.push(`  ${mismatch.path} -> ${mismatch.key}: ${mismatch.reason}`);
    if (report.rows) lines.push(`${report.rows.checked} rows with a key: ${report.rows.missingObject.length} point at a missing object`);
    for (const row of report.rows?.missingObject.slice(0, 20) ?? []) lines.push(`  row ${row.id}: ${row.key} missing`);
    context.stdout.write(`${lines.join('\n')}\n`);
  }
  const rowsMissing = report.rows?.missingObject.length ?? 0;
  if (report.mismatches.length > 0) {
    const first = report.mismatches[0]!;
    throw new MismatchError(`${report.mismatches.length} file(s) do not match their object, first: ${first.path}: ${first.reason}`);
  }
  if (rowsMissing > 0) throw new MismatchError(`${rowsMissing} row(s) point at a missing object, first: row ${report.rows!.missingObject[0]!.id}`);
}

async function connect(url: string) {
  const { default: mysql } = await import('mysql2/promise');
  try {
    return await mysql.createConnection({ uri: url, charset: 'utf8mb4' });
  } catch (error) {
    throw new ConnectionError(`cannot connect to --rewrite-db ${redact(url)}: ${(error as Error).message}`);
  }
}
