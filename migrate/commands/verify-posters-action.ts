import type { CommandContext } from './command-module.ts';
import { MismatchError } from '../errors.ts';
import { ProgressCounters } from '../progress/counters.ts';
import { createReporter } from '../progress/create-reporter.ts';
import { verifyPosters, type VerifyPostersReport } from '../operations/posters/verify-posters.ts';
import { formatVerifyPostersReport } from '../report/format-posters-report.ts';
import { asPosterCliError, openPosterBucket, openRewriteDatabase } from './poster-connections.ts';
import type { PosterOptions } from './poster-options.ts';

/** `bin/migrate verify-posters`: exit 0 when everything matches, 1 with the first mismatch otherwise. */
export async function runVerifyPosters(options: PosterOptions, context: CommandContext): Promise<void> {
  const connection = options.rewrite ? await openRewriteDatabase(options.rewrite) : undefined;
  const client = openPosterBucket(options, context, options.concurrency);
  const counters = new ProgressCounters('files');
  const reporter = createReporter({ json: options.json, stream: options.json ? context.stdout : context.stderr });
  reporter.start(counters);
  let report: VerifyPostersReport;
  try {
    report = await verifyPosters(options, { client, connection, counters });
  } catch (error) {
    throw asPosterCliError(error, options);
  } finally {
    reporter.stop();
    await connection?.end().catch(() => undefined);
    client.destroy();
  }
  if (options.json) context.stdout.write(`${JSON.stringify({ type: 'report', ...report })}\n`);
  else context.stdout.write(formatVerifyPostersReport(report));
  const rowsMissing = report.rows?.missingObject.length ?? 0;
  if (report.mismatches.length > 0) {
    const first = report.mismatches[0]!;
    throw new MismatchError(`${report.mismatches.length} file(s) do not match their object, first: ${first.path}: ${first.reason}`);
  }
  if (rowsMissing > 0) throw new MismatchError(`${rowsMissing} row(s) point at a missing object, first: row ${report.rows!.missingObject[0]!.id}`);
}
