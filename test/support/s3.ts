import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { uniqueName } from './database.ts';

/** An S3 client for the run's local S3 server (plain HTTP, path-style, any credentials). */
export function localS3Client(): S3Client {
  return new S3Client({
    endpoint: inject('s3Endpoint'),
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    // s3rver stores streamed bodies sent with the default checksum framing corrupted.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}

/** Creates a bucket with a unique name on the local S3 server. */
export async function createTestBucket(client: S3Client, prefix = 'tk-test'): Promise<string> {
  const bucket = uniqueName(prefix).replaceAll('_', '-').toLowerCase();
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}
