import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3 } from './aws-sdk.ts';
import { parseListObjectsV2, type ListingPage } from './list-objects-xml.ts';

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
    const page = await listPage(client, { Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token, MaxKeys: 1000 });
    for (const object of page.objects) objects.set(object.key, { size: object.size, etag: object.etag });
    token = page.isTruncated ? page.nextContinuationToken : undefined;
  } while (token);
  return objects;
}

const EMPTY_LISTING = Buffer.from('<ListBucketResult></ListBucketResult>');

/**
 * One ListObjectsV2 call through the SDK (signing, retries, errors as usual), but a successful body is
 * read by parseListObjectsV2: the SDK's own parse was most of a nothing-to-do run. A body that scan
 * does not understand goes to the SDK's parser unchanged.
 */
async function listPage(client: S3Client, input: ConstructorParameters<typeof s3.ListObjectsV2Command>[0]): Promise<ListingPage> {
  const command = new s3.ListObjectsV2Command(input);
  let fast: ListingPage | undefined;
  // Step `deserialize` at low priority runs inside the SDK's deserializer: it sees the raw response first.
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      if (response.statusCode !== 200 || !(response.body instanceof Readable)) return result;
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      try {
        fast = parseListObjectsV2(bytes.toString('utf8'));
        response.body = Readable.from([EMPTY_LISTING]);
      } catch {
        response.body = Readable.from([bytes]);
      }
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'readListingBody' },
  );
  const output = await client.send(command);
  if (fast) return fast;
  return {
    objects: (output.Contents ?? []).flatMap((object) =>
      object.Key === undefined ? [] : [{ key: object.Key, size: object.Size ?? 0, etag: object.ETag ?? '' }],
    ),
    isTruncated: output.IsTruncated === true,
    ...(output.NextContinuationToken ? { nextContinuationToken: output.NextContinuationToken } : {}),
  };
}
