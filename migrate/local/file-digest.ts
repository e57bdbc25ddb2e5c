import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { SNIFF_BYTES } from './content-type.ts';

/**
 * SHA-256 of a file as S3 reports it back: the whole-object digest for a single PUT, or the
 * composite `sha256(part digests)-N` for a multipart upload with `partSize` parts.
 */
export interface FileDigest {
  readonly size: number;
  readonly sha256Hex: string;
  /** What `x-amz-checksum-sha256` holds for this object once uploaded (base64, `-N` when multipart). */
  readonly s3Checksum: string;
  /** First bytes of the file, for content sniffing. */
  readonly head: Buffer;
}

/** Digest of bytes already in memory (a file no larger than one part: uploaded with a single PUT). */
export function digestBuffer(buffer: Buffer): FileDigest {
  // Hashed on the main thread: WebCrypto's thread-pool digest copies the bytes first and measured slower.
  const digest = createHash('sha256').update(buffer).digest();
  return {
    size: buffer.length,
    sha256Hex: digest.toString('hex'),
    s3Checksum: digest.toString('base64'),
    head: buffer.subarray(0, SNIFF_BYTES),
  };
}

/** Streams a file once, hashing the whole and each part of `partSize` bytes (files above one part). */
export async function digestFile(path: string, partSize: number): Promise<FileDigest> {
  const whole = createHash('sha256');
  const partDigests: Buffer[] = [];
  let part: Hash = createHash('sha256');
  let inPart = 0;
  let size = 0;
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    whole.update(chunk);
    size += chunk.length;
    if (headBytes < SNIFF_BYTES) {
      headChunks.push(chunk.subarray(0, SNIFF_BYTES - headBytes));
      headBytes += Math.min(chunk.length, SNIFF_BYTES - headBytes);
    }
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(partSize - inPart, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + take));
      inPart += take;
      offset += take;
      if (inPart === partSize) {
        partDigests.push(part.digest());
        part = createHash('sha256');
        inPart = 0;
      }
    }
  }
  if (inPart > 0) partDigests.push(part.digest());
  const digest = whole.digest();
  return {
    size,
    sha256Hex: digest.toString('hex'),
    s3Checksum: partDigests.length > 1 ? compositeChecksum(partDigests) : digest.toString('base64'),
    head: Buffer.concat(headChunks),
  };
}

/** S3's COMPOSITE checksum of a multipart object: the digest of the concatenated part digests, then `-N`. */
export function compositeChecksum(partDigests: readonly Buffer[]): string {
  const combined = createHash('sha256').update(Buffer.concat(partDigests)).digest('base64');
  return `${combined}-${partDigests.length}`;
}
