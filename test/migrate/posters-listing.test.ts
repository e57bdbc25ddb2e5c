import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import { listBucket } from '../../migrate/s3/bucket-listing.ts';
import { createS3Client } from '../../migrate/s3/s3-client.ts';
import { parseListObjectsV2 } from '../../migrate/s3/list-objects-xml.ts';
import { createTestBucket, localS3Client } from '../support/s3.ts';
import { S3_ENV } from './posters/harness.ts';

const page = (contents: string, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>${extra}${contents}</ListBucketResult>`;
const entry = (key: string, size: number, etag: string) =>
  `<Contents><Key>${key}</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>${etag}</ETag><Size>${size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;

describe('posters: reading a bucket listing', () => {
  it('reads keys, sizes, ETags and the continuation token, decoding XML entities', () => {
    const xml = page(
      entry('posters/a &amp; b &lt;1&gt;.jpg', 10, '&quot;abc&quot;') + entry('posters/caf&#233; &#x1F3B5;.png', 0, '"def-2"'),
      '<NextContinuationToken>tok+/=&amp;</NextContinuationToken><KeyCount>2</KeyCount><IsTruncated>true</IsTruncated>',
    );
    expect(parseListObjectsV2(xml)).toEqual({
      objects: [
        { key: 'posters/a & b <1>.jpg', size: 10, etag: '"abc"' },
        { key: 'posters/café 🎵.png', size: 0, etag: '"def-2"' },
      ],
      isTruncated: true,
      nextContinuationToken: 'tok+/=&',
    });
  });

  it('is not fooled by a key that spells a top-level tag, and reads an empty last page', () => {
    const sneaky = entry('&lt;IsTruncated&gt;true&lt;/IsTruncated&gt;', 1, '"x"');
    expect(parseListObjectsV2(page(sneaky, '<IsTruncated>false</IsTruncated>'))).toEqual({
      objects: [{ key: '<IsTruncated>true</IsTruncated>', size: 1, etag: '"x"' }],
      isTruncated: false,
    });
    expect(parseListObjectsV2(page('', '<KeyCount>0</KeyCount><IsTruncated>false</IsTruncated>'))).toEqual({ objects: [], isTruncated: false });
  });

  it('refuses what it does not understand, so the SDK parses it instead', () => {
    expect(() => parseListObjectsV2('<Error><Code>SlowDown</Code></Error>')).toThrow(/ListBucketResult/);
    expect(() => parseListObjectsV2(page('<Contents><Key><![CDATA[a]]></Key><Size>1</Size></Contents>'))).toThrow(/CDATA/);
    expect(() => parseListObjectsV2(page('<Contents><Key>a</Key></Contents>'))).toThrow(/Size/);
    expect(() => parseListObjectsV2(page(entry('a', 1, '&bogus;')))).toThrow(/entity/);
  });

  it('lists a real bucket exactly as the SDK\'s own parser does, odd names included', async () => {
    const sdk = localS3Client();
    const bucket = await createTestBucket(sdk, 'tk-listing');
    const keys = ['posters/plain.jpg', 'posters/a b & c.jpg', 'posters/<angle> "quoted" \'apos\'.png', 'posters/ünïcödé/海報.webp', 'other/skip.jpg'];
    for (const [index, key] of keys.entries()) {
      await sdk.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.alloc(index * 7 + 1, index) }));
    }
    const client = createS3Client({ endpoint: inject('s3Endpoint'), env: S3_ENV, maxSockets: 4 });
    try {
      const ours = await listBucket(client, bucket, 'posters/');
      const theirs = await sdk.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'posters/' }));
      expect(theirs.Contents).toHaveLength(4);
      expect(ours).toEqual(new Map(theirs.Contents!.map((object) => [object.Key!, { size: object.Size!, etag: object.ETag! }])));
      // The server's own bytes are read by the fast scan (no fallback to the SDK's parser hides a miss).
      const raw = await fetch(`${inject('s3Endpoint')}/${bucket}?list-type=2&prefix=posters%2F`);
      expect(parseListObjectsV2(await raw.text()).objects.map((object) => object.key).sort()).toEqual([...ours.keys()].sort());
    } finally {
      client.destroy();
      sdk.destroy();
    }
  });

  it('still fails on a missing bucket with the S3 error, not a parse error', async () => {
    const client = createS3Client({ endpoint: inject('s3Endpoint'), env: S3_ENV, maxSockets: 1, maxAttempts: 1 });
    try {
      await expect(listBucket(client, 'tk-no-such-bucket-here', '')).rejects.toMatchObject({ name: 'NoSuchBucket' });
    } finally {
      client.destroy();
    }
  });
});
