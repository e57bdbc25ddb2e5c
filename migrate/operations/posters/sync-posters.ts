import type { S3Client } from '@aws-sdk/client-s3';
import type { ProgressCounters } from '../../progress/counters.ts';
import { listBucket } from '../../s3/bucket-listing.ts';
import type { PosterManifest } from '../../state/poster-manifest.ts';
import type { KeyStyle } from './object-key.ts';
import { BufferPool } from '../../local/buffer-pool.ts';
import { runWorkerPool } from '../worker-pool.ts';
import type { RetryPolicy } from '../../retry/with-retries.ts';
import { syncFile, type FileSyncContext } from './sync-file.ts';
import { SyncTally, type FileResult, type SyncReport } from './sync-report.ts';
import type { VerifyMode } from '../../s3/verify-object.ts';
import { walkFiles } from '../../local/walk.ts';

export interface SyncPostersOptions {
  readonly from: string;
  readonly bucket: string;
  /** Normalised: empty or ending in `/`. */
  readonly prefix: string;
  readonly stateDir: string;
  readonly keyStyle: KeyStyle;
  readonly cacheControl: string;
  /** Files in flight at once. */
  readonly concurrency: number;
  readonly partSize: number;
  readonly queueSize: number;
  /** Bytes of file data held in memory at once, over all files in flight. */
  readonly memoryBudget: number;
  readonly verify: VerifyMode;
  readonly recheck: boolean;
  readonly dryRun: boolean;
  readonly followSymlinks: boolean;
  readonly retry: RetryPolicy;
}

export interface SyncPostersDeps {
  readonly client: S3Client;
  readonly manifest: PosterManifest;
  readonly counters?: ProgressCounters;
  readonly log?: (line: string) => void;
}

export const UPLOAD_TASK = 'upload';

/**
 * Makes the bucket hold one verified object per local file (like `rclone copy` with checks):
 * list the bucket once, compare with the manifest, then upload what is missing or wrong through a
 * bounded pool. Returns every file's outcome, which the database rewrite uses.
 */
export async function syncPosters(
  options: SyncPostersOptions,
  deps: SyncPostersDeps,
): Promise<{ report: SyncReport; results: FileResult[] }> {
  const started = Date.now();
  // Listing first: it waits on the server while the (synchronous) walk runs.
  const [listing, walk] = await Promise.all([
    listBucket(deps.client, options.bucket, options.prefix),
    walkFiles(options.from, { followSymlinks: options.followSymlinks, exclude: [options.stateDir] }),
  ]);
  const bytes = walk.files.reduce((sum, file) => sum + file.size, 0);
  const { counters } = deps;
  counters?.addTask(UPLOAD_TASK, { total: walk.files.length, totalBytes: bytes });
  counters?.start(UPLOAD_TASK);
  for (const entry of walk.skipped) deps.log?.(`not uploaded: ${entry.relativePath} (${entry.reason}${entry.detail ? `: ${entry.detail}` : ''})`);

  const tally = new SyncTally();
  const context: FileSyncContext = {
    client: deps.client,
    manifest: deps.manifest,
    listing,
    pool: new BufferPool(options.memoryBudget, options.partSize),
    tally,
    settings: options,
    onBytes: (sent) => counters?.advance(UPLOAD_TASK, 0, sent),
  };
  const results: FileResult[] = [];
  await runWorkerPool(walk.files, options.concurrency, async (file) => {
    const result = await syncFile(file, context);
    results.push(result);
    if (result.outcome === 'failed') deps.log?.(`failed: ${file.relativePath}: ${result.error}`);
    // Bytes of files that needed no upload count as done at once; uploads counted theirs as sent.
    counters?.advance(UPLOAD_TASK, 1, result.outcome === 'uploaded' ? 0 : file.size);
  });
  if (tally.failed.length > 0) counters?.fail(UPLOAD_TASK, `${tally.failed.length} file(s) failed`);
  else counters?.finish(UPLOAD_TASK);

  return {
    results,
    report: {
      bucket: options.bucket,
      prefix: options.prefix,
      stateDir: options.stateDir,
      dryRun: options.dryRun,
      files: walk.files.length,
      bytes,
      unchanged: tally.unchanged,
      adopted: tally.adopted,
      uploaded: tally.uploaded,
      uploadedBytes: tally.uploadedBytes,
      wouldUpload: tally.wouldUpload,
      reuploadedAfterVerify: tally.reuploadedAfterVerify,
      retries: tally.retries,
      verifiedBy: tally.verifiedBy,
      failed: tally.failed,
      notUploaded: walk.skipped,
      seconds: (Date.now() - started) / 1000,
    },
  };
}
