import type { S3Client } from '@aws-sdk/client-s3';
import type { Connection } from 'mysql2/promise';
import type { ProgressCounters } from '../../progress/counters.ts';
import { listBucket } from '../../s3/bucket-listing.ts';
import { digestFile } from '../../local/file-digest.ts';
import { objectKeyFor, type KeyStyle } from './object-key.ts';
import { runWorkerPool } from '../worker-pool.ts';
import { readPosterRows, type RewriteTarget } from '../../mysql/poster-table.ts';
import { verifyObject, type VerifyMode } from '../../s3/verify-object.ts';
import { walkFiles } from '../../local/walk.ts';

export interface VerifyPostersReport {
  readonly files: number;
  readonly bytes: number;
  readonly matching: number;
  /** Local files whose object is missing, of another size or another checksum. */
  readonly mismatches: readonly { path: string; key: string; reason: string }[];
  readonly rows?: { readonly checked: number; readonly missingObject: readonly { id: string | number; key: string }[] };
  readonly verifiedBy: Readonly<Record<'checksum' | 'download' | 'size', number>>;
}

export const VERIFY_TASK = 'verify';

/**
 * `bin/migrate verify-posters`: every local file has an object of the same size and checksum, and
 * (with a database) every row with a key points at an existing object. Hashes the files afresh:
 * the manifest is not evidence here.
 */
export async function verifyPosters(
  options: {
    from: string; bucket: string; prefix: string; keyStyle: KeyStyle; partSize: number; verify: VerifyMode;
    concurrency: number; followSymlinks: boolean; rewrite?: RewriteTarget; stateDir: string;
  },
  deps: { client: S3Client; connection?: Connection; counters?: ProgressCounters },
): Promise<VerifyPostersReport> {
  const [listing, walk] = await Promise.all([
    listBucket(deps.client, options.bucket, options.prefix),
    walkFiles(options.from, { followSymlinks: options.followSymlinks, exclude: [options.stateDir] }),
  ]);
  const bytes = walk.files.reduce((sum, file) => sum + file.size, 0);
  deps.counters?.addTask(VERIFY_TASK, { total: walk.files.length, totalBytes: bytes });
  deps.counters?.start(VERIFY_TASK);
  const mismatches: { path: string; key: string; reason: string }[] = [];
  const verifiedBy = { checksum: 0, download: 0, size: 0 };
  let matching = 0;
  await runWorkerPool(walk.files, options.concurrency, async (file) => {
    const digest = await digestFile(file.absolutePath, options.partSize);
    const key = objectKeyFor(file.relativePath, digest.sha256Hex, options.keyStyle, options.prefix);
    const listed = listing.get(key);
    let reason: string | undefined;
    if (!listed) reason = 'missing';
    else if (listed.size !== digest.size) reason = `size ${listed.size} != ${digest.size}`;
    else {
      const outcome = await verifyObject(
        deps.client,
        { bucket: options.bucket, key, size: digest.size, sha256Hex: digest.sha256Hex, checksum: digest.s3Checksum },
        options.verify,
      );
      if (outcome.ok) verifiedBy[outcome.by] += 1;
      else reason = outcome.reason;
    }
    if (reason) mismatches.push({ path: file.relativePath, key, reason });
    else matching += 1;
    deps.counters?.advance(VERIFY_TASK, 1, file.size);
  });
  deps.counters?.finish(VERIFY_TASK);
  mismatches.sort((a, b) => (a.path < b.path ? -1 : 1));
  let rows: VerifyPostersReport['rows'];
  if (deps.connection && options.rewrite) {
    const missingObject: { id: string | number; key: string }[] = [];
    let checked = 0;
    for await (const page of readPosterRows(deps.connection, options.rewrite)) {
      for (const row of page) {
        if (row.key === null) continue;
        checked += 1;
        if (!listing.has(row.key)) missingObject.push({ id: row.id, key: row.key });
      }
    }
    rows = { checked, missingObject };
  }
  return { files: walk.files.length, bytes, matching, mismatches, verifiedBy, ...(rows ? { rows } : {}) };
}
