import { createReadStream } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { libStorage } from './aws-sdk.ts';

export interface ObjectToUpload {
  readonly bucket: string;
  readonly key: string;
  /** The whole file when it fits in one part (sent as one PUT), else its path (streamed in parts). */
  readonly body: Buffer | { readonly path: string };
  readonly size: number;
  readonly contentType: string;
  readonly cacheControl: string;
  /** Whole-object SHA-256 (base64) for a single PUT; parts get theirs computed by the SDK. */
  readonly checksum: string;
  readonly sha256Hex: string;
  readonly partSize: number;
  /** Parts of one file sent at once. */
  readonly queueSize: number;
  readonly onBytes?: (bytes: number) => void;
}

/** Metadata stored with each object so a later verify can recompute S3's composite checksum. */
export const PART_SIZE_METADATA = 'part-size';
export const SHA256_METADATA = 'sha256';

/**
 * Uploads one file with lib-storage: one PUT up to `partSize`, multipart with parallel parts above.
 * Every request carries `x-amz-checksum-sha256`, so S3 refuses bytes that were corrupted on the way.
 */
export interface UploadedObject {
  readonly etag: string;
  /** The SHA-256 S3 computed over the bytes it received (composite `...-N` for multipart), when the server reports one. */
  readonly checksum?: string;
}

export async function uploadObject(client: S3Client, object: ObjectToUpload): Promise<UploadedObject> {
  const multipart = object.size > object.partSize;
  const { Upload } = libStorage();
  const upload = new Upload({
    client,
    partSize: object.partSize,
    queueSize: object.queueSize,
    params: {
      Bucket: object.bucket,
      Key: object.key,
      Body: Buffer.isBuffer(object.body) ? object.body : createReadStream(object.body.path, { highWaterMark: 1 << 20 }),
      ContentLength: object.size,
      ContentType: object.contentType,
      CacheControl: object.cacheControl,
      Metadata: {
        [SHA256_METADATA]: object.sha256Hex,
        ...(multipart ? { [PART_SIZE_METADATA]: String(object.partSize) } : {}),
      },
      // lib-storage copies these params onto every UploadPart: a whole-object value would be wrong there.
      ...(multipart ? { ChecksumAlgorithm: 'SHA256' as const } : { ChecksumSHA256: object.checksum }),
    },
  });
  let reported = 0;
  if (object.onBytes) {
    upload.on('httpUploadProgress', (progress) => {
      const loaded = progress.loaded ?? 0;
      if (loaded > reported) {
        object.onBytes!(loaded - reported);
        reported = loaded;
      }
    });
  }
  const result = await upload.done();
  if (object.onBytes && reported < object.size) object.onBytes(object.size - reported);
  const checksum = (result as { ChecksumSHA256?: string }).ChecksumSHA256;
  return { etag: result.ETag ?? '', ...(checksum ? { checksum } : {}) };
}
