import type { S3Client } from '@aws-sdk/client-s3';
import { s3 } from './aws-sdk.ts';

export interface ListedObject {
  readonly size: number;
  readonly etag: string;
}

/**
 * Every object under `prefix`, listed flat (no delimiter: "folder" listings of some S3-compatible
 * servers omit nested prefixes). This listing is the truth when it disagrees with the manifest.
 */
export async function listBucket(client: S3Client, bucket: string, prefix: string): Promise<Map<string, ListedObject>> {
  const objects = new Map<string, ListedObject>();
  let token: string | undefined;
  do {
    const page = await client.send(
      new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token, MaxKeys: 1000 }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key !== undefined) objects.set(object.Key, { size: object.Size ?? 0, etag: object.ETag ?? '' });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}
