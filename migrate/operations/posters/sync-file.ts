import type { S3Client } from '@aws-sdk/client-s3';
import type { ListedObject } from '../../s3/bucket-listing.ts';
import type { BufferPool, PooledBuffer } from '../../local/buffer-pool.ts';
import { sniffContentType } from '../../local/content-type.ts';
import { digestBuffer, digestFile, type FileDigest } from '../../local/file-digest.ts';
import type { ManifestEntry, PosterManifest } from '../../state/poster-manifest.ts';
import { objectKeyFor, type KeyStyle } from './object-key.ts';
import { FileChangedError, readFileStable, sameStamp, stampOf, type FileStamp } from '../../local/read-file-stable.ts';
import { classifyError } from '../../retry/error-class.ts';
import { withRetries, type RetryPolicy } from '../../retry/with-retries.ts';
import type { FileResult, SyncTally } from './sync-report.ts';
import { uploadObject } from '../../s3/upload-object.ts';
import { verifyObject, verifyUploadedObject, type VerifyMode } from '../../s3/verify-object.ts';
import type { LocalFile } from '../../local/walk.ts';

export interface FileSyncSettings {
  readonly bucket: string;
  readonly prefix: string;
  readonly keyStyle: KeyStyle;
  readonly cacheControl: string;
  readonly partSize: number;
  readonly queueSize: number;
  readonly verify: VerifyMode;
  /** Verify objects the manifest already vouches for (finds objects damaged or replaced on the server). */
  readonly recheck: boolean;
  readonly dryRun: boolean;
  readonly retry: RetryPolicy;
  /** Upload + verify rounds before a file whose object keeps coming out wrong is reported. @default 3 */
  readonly verifyRounds?: number;
}

export interface FileSyncContext {
  readonly client: S3Client;
  readonly manifest: PosterManifest;
  readonly listing: ReadonlyMap<string, ListedObject>;
  /** Bounds (and reuses) the file bytes held in memory by all uploads in flight. */
  readonly pool: BufferPool;
  readonly tally: SyncTally;
  readonly settings: FileSyncSettings;
  readonly onBytes: (bytes: number) => void;
}

/** A failure that stops the whole run (no bucket, no access): see retry.ts. */
export class FatalS3Error extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'FatalS3Error';
  }
}

const CHANGE_ATTEMPTS = 3;

/** Verification found the uploaded object wrong on the server: upload it again (a bounded number of times). */
class ObjectMismatchError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ObjectMismatchError';
  }
}

/** Brings one file's object up to date and says what happened; throws only FatalS3Error. */
export async function syncFile(file: LocalFile, context: FileSyncContext): Promise<FileResult> {
  const cached = context.manifest.get(file.relativePath);
  if (cached && !context.settings.recheck && sameStamp(cached, file)) {
    const listed = context.listing.get(cached.key);
    // Listing wins: an object missing, resized or replaced (other ETag) is dealt with below.
    if (listed && listed.size === cached.size && listed.etag === cached.etag) {
      context.tally.unchanged += 1;
      return { relativePath: file.relativePath, outcome: 'unchanged', key: cached.key, size: file.size, verified: true };
    }
  }
  const rounds = context.settings.verifyRounds ?? 3;
  let changes = 0;
  let mismatches = 0;
  for (;;) {
    try {
      return await syncFileContent(file, cached, context, mismatches > 0);
    } catch (error) {
      if (error instanceof FatalS3Error) throw error;
      if (error instanceof FileChangedError && ++changes < CHANGE_ATTEMPTS) continue;
      if (error instanceof ObjectMismatchError && ++mismatches < rounds) {
        context.tally.reuploadedAfterVerify += 1;
        continue;
      }
      const message =
        error instanceof FileChangedError
          ? 'changed during the run (re-run to upload it)'
          : error instanceof ObjectMismatchError
            ? `object still wrong after ${rounds} uploads: ${error.reason}`
            : describe(error);
      context.tally.failed.push({ path: file.relativePath, error: message });
      return { relativePath: file.relativePath, outcome: 'failed', size: file.size, verified: false, error: message };
    }
  }
}

async function syncFileContent(
  file: LocalFile,
  cached: ManifestEntry | undefined,
  context: FileSyncContext,
  /** The object was just found wrong: skip straight to uploading. */
  reupload: boolean,
): Promise<FileResult> {
  const { settings, tally } = context;
  // Decide on what the file is now: it may have grown or shrunk since the walk.
  const current = await stampOf(file.absolutePath);
  const small = current.size <= settings.partSize;
  // A small file is held whole (read once: hashed, sniffed and sent from the same bytes); a large
  // one streams through lib-storage's part queue. Either way the pool bounds memory.
  let lease: PooledBuffer | undefined;
  const releaseReservation = small ? undefined : await context.pool.reserve(settings.partSize * (settings.queueSize + 1));
  const releaseMemory = (): void => {
    lease?.release();
    releaseReservation?.();
  };
  try {
    let buffer: Buffer | undefined;
    let digest: FileDigest;
    let stamp: FileStamp;
    if (small) {
      const read = await readFileStable(file.absolutePath, file.relativePath, current, context.pool);
      lease = read.lease;
      buffer = lease.buffer;
      stamp = read.stamp;
      digest = digestBuffer(buffer);
    } else {
      stamp = current;
      digest = await digestFile(file.absolutePath, settings.partSize);
      if (!sameStamp(stamp, await stampOf(file.absolutePath))) throw new FileChangedError(file.relativePath);
    }
    const key = objectKeyFor(file.relativePath, digest.sha256Hex, settings.keyStyle, settings.prefix);
    const contentType = await sniffContentType(digest.head);
    const expected = { bucket: settings.bucket, key, size: digest.size, sha256Hex: digest.sha256Hex, checksum: digest.s3Checksum };
    const remember = (etag: string): void => {
      if (settings.dryRun) return;
      context.manifest.record({
        path: file.relativePath, ...stamp, sha256: digest.sha256Hex, checksum: digest.s3Checksum, key, etag, contentType,
        verifiedAt: new Date().toISOString(),
      });
    };
    const result = (outcome: FileResult['outcome'], verified: boolean): FileResult =>
      ({ relativePath: file.relativePath, outcome, key, size: digest.size, verified });

    const listed = context.listing.get(key);
    if (listed && listed.size === digest.size && !reupload) {
      // Same content as the manifest says and the listing agrees: only the stamp changed (e.g. touch).
      if (!settings.recheck && cached?.key === key && cached.sha256 === digest.sha256Hex && cached.etag === listed.etag) {
        remember(listed.etag);
        tally.unchanged += 1;
        return result('unchanged', true);
      }
      if (settings.dryRun) {
        tally.adopted += 1;
        return result('adopted', false);
      }
      // Already there (a run killed after the upload, or uploaded by someone else): verify, don't resend.
      const outcome = await s3Call(() => verifyObject(context.client, expected, settings.verify), context);
      if (outcome.ok) {
        tally.verifiedBy[outcome.by] += 1;
        remember(outcome.etag);
        tally.adopted += 1;
        return result('adopted', true);
      }
      tally.reuploadedAfterVerify += 1;
    }
    if (settings.dryRun) {
      tally.wouldUpload += 1;
      return result('would-upload', false);
    }
    let sent = 0;
    const uploaded = await s3Call(async () => {
      context.onBytes(-sent); // a retried upload starts its byte count again
      sent = 0;
      return uploadObject(context.client, {
        bucket: settings.bucket, key, body: buffer ?? { path: file.absolutePath }, size: digest.size, contentType,
        cacheControl: settings.cacheControl, checksum: digest.s3Checksum, sha256Hex: digest.sha256Hex,
        partSize: settings.partSize, queueSize: settings.queueSize,
        onBytes: (bytes) => {
          sent += bytes;
          context.onBytes(bytes);
        },
      });
    }, context);
    if (!buffer && !sameStamp(stamp, await stampOf(file.absolutePath))) throw new FileChangedError(file.relativePath);
    // Verifying needs no file bytes: hand the memory to the next upload now.
    releaseMemory();
    const outcome = await s3Call(() => verifyUploadedObject(context.client, expected, settings.verify, uploaded), context);
    if (!outcome.ok) throw new ObjectMismatchError(outcome.reason);
    tally.verifiedBy[outcome.by] += 1;
    remember(outcome.etag);
    tally.uploaded += 1;
    tally.uploadedBytes += digest.size;
    return result('uploaded', true);
  } finally {
    releaseMemory();
  }
}

/** One S3 operation with file-level retries; errors that doom the run become FatalS3Error. */
async function s3Call<T>(operation: () => Promise<T>, context: FileSyncContext): Promise<T> {
  try {
    return await withRetries(operation, {
      ...context.settings.retry,
      onRetry: (error, attempt, delayMs) => {
        context.tally.retries += 1;
        context.settings.retry.onRetry?.(error, attempt, delayMs);
      },
    });
  } catch (error) {
    if (classifyError(error) === 'fatal') throw new FatalS3Error(error);
    throw error;
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown; Code?: unknown; name?: unknown } | null) ?? {};
  const label = [code.Code, code.code].find((value) => typeof value === 'string');
  const message = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
  return label && !message.includes(String(label)) ? `${String(label)}: ${message}` : message;
}
