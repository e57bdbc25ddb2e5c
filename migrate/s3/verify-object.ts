import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3 } from './aws-sdk.ts';

/**
 * How an object is checked against its file:
 * - `checksum`: the SHA-256 S3 computed when it received the bytes: from the upload's own answer right
 *   after an upload (no extra request), else from a HEAD with checksum mode. A server that reports no
 *   checksums is checked by download instead (never trusted on size alone).
 * - `download`: read the object back and hash it.
 * - `size`: HEAD and compare the size only (for servers without checksums when a download is too costly).
 */
export type VerifyMode = 'checksum' | 'download' | 'size';

export interface ExpectedObject {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly sha256Hex: string;
  /** S3's checksum for this object (whole-object base64, or composite `...-N`). */
  readonly checksum: string;
}

export type VerifyOutcome =
  | { readonly ok: true; readonly etag: string; readonly by: 'checksum' | 'download' | 'size' }
  | { readonly ok: false; readonly reason: string };

export async function verifyObject(client: S3Client, expected: ExpectedObject, mode: VerifyMode): Promise<VerifyOutcome> {
  if (mode === 'download') return verifyByDownload(client, expected);
  const head = await headObject(client, expected);
  if (!head) return { ok: false, reason: 'missing' };
  if (head.ContentLength !== expected.size) return { ok: false, reason: `size ${head.ContentLength} != ${expected.size}` };
  const etag = head.ETag ?? '';
  if (mode === 'size') return { ok: true, etag, by: 'size' };
  if (head.ChecksumSHA256) {
    return head.ChecksumSHA256 === expected.checksum
      ? { ok: true, etag, by: 'checksum' }
      : { ok: false, reason: `checksum ${head.ChecksumSHA256} != ${expected.checksum}` };
  }
  return verifyByDownload(client, expected);
}

/**
 * Checks an object just uploaded. In `checksum` mode the upload's answer already carries the checksum
 * S3 computed over the bytes it stored (the same value a HEAD would return), so no request is needed;
 * a server whose answer has none keeps none, and is checked by download.
 */
export async function verifyUploadedObject(
  client: S3Client,
  expected: ExpectedObject,
  mode: VerifyMode,
  uploaded: { readonly etag: string; readonly checksum?: string },
): Promise<VerifyOutcome> {
  if (mode !== 'checksum') return verifyObject(client, expected, mode);
  if (!uploaded.checksum) return verifyByDownload(client, expected);
  return uploaded.checksum === expected.checksum
    ? { ok: true, etag: uploaded.etag, by: 'checksum' }
    : { ok: false, reason: `checksum ${uploaded.checksum} != ${expected.checksum}` };
}

async function headObject(client: S3Client, expected: ExpectedObject) {
  try {
    return await client.send(new s3.HeadObjectCommand({ Bucket: expected.bucket, Key: expected.key, ChecksumMode: 'ENABLED' }));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function verifyByDownload(client: S3Client, expected: ExpectedObject): Promise<VerifyOutcome> {
  let response;
  try {
    // Checksum validation of the response is ours to do: the SDK's would fail on a composite checksum.
    response = await client.send(new s3.GetObjectCommand({ Bucket: expected.bucket, Key: expected.key }));
  } catch (error) {
    if (isNotFound(error)) return { ok: false, reason: 'missing' };
    throw error;
  }
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of response.Body as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    size += chunk.length;
  }
  if (size !== expected.size) return { ok: false, reason: `size ${size} != ${expected.size}` };
  const actual = hash.digest('hex');
  return actual === expected.sha256Hex
    ? { ok: true, etag: response.ETag ?? '', by: 'download' }
    : { ok: false, reason: `sha256 ${actual.slice(0, 16)}... != ${expected.sha256Hex.slice(0, 16)}...` };
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}
