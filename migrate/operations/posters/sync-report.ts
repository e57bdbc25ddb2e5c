import type { SkippedEntry } from '../../local/walk.ts';

/** Where one local file ended up after a run. */
export type FileOutcome =
  | 'unchanged' // manifest and listing agree: nothing sent
  | 'adopted' // object already in the bucket (e.g. a run killed after the upload), verified, not re-sent
  | 'uploaded'
  | 'would-upload' // --dry-run
  | 'failed';

export interface FileResult {
  readonly relativePath: string;
  readonly outcome: FileOutcome;
  readonly key?: string;
  readonly size: number;
  /** True only when the object was verified in this run or by the manifest + listing: safe to point a row at. */
  readonly verified: boolean;
  readonly error?: string;
}

/** The final, plain-data report of a posters run (printed as JSON with --json). */
export interface SyncReport {
  readonly bucket: string;
  readonly prefix: string;
  readonly stateDir: string;
  readonly dryRun: boolean;
  readonly files: number;
  readonly bytes: number;
  readonly unchanged: number;
  readonly adopted: number;
  readonly uploaded: number;
  readonly uploadedBytes: number;
  readonly wouldUpload: number;
  /** Uploads sent again because verification found the object wrong on the server. */
  readonly reuploadedAfterVerify: number;
  readonly retries: number;
  readonly verifiedBy: Readonly<Record<'checksum' | 'download' | 'size', number>>;
  readonly failed: readonly { readonly path: string; readonly error: string }[];
  readonly notUploaded: readonly SkippedEntry[];
  readonly seconds: number;
}

/** Mutable tallies an operation updates; turned into a SyncReport at the end. */
export class SyncTally {
  unchanged = 0;
  adopted = 0;
  uploaded = 0;
  uploadedBytes = 0;
  wouldUpload = 0;
  reuploadedAfterVerify = 0;
  retries = 0;
  readonly verifiedBy = { checksum: 0, download: 0, size: 0 };
  readonly failed: { path: string; error: string }[] = [];
}
