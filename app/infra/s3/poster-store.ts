import { HeadBucketCommand, CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';

/** Poster objects never change under a key (a new poster gets a new key), so CDNs may cache them for a year. */
export const posterCacheControl = 'public, max-age=31536000, immutable';

export interface S3Settings {
  bucket: string;
  region: string;
  /** A local S3-compatible endpoint; unset on AWS. */
  endpoint?: string;
}

export function createS3Client(settings: S3Settings): S3Client {
  if (!settings.endpoint) return new S3Client({ region: settings.region });
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: true,
    // A local server accepts any credentials; real ones from the environment win when present.
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'S3RVER',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'S3RVER',
    },
    // s3rver stores bodies sent with the SDK's default streaming checksum framing corrupted.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}

export class PosterStore {
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
  ) {}

  /** Streams a poster to S3 (multipart above 5 MB, parts in parallel). */
  async upload(key: string, body: Readable, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, CacheControl: posterCacheControl },
      queueSize: 2,
    });
    await upload.done();
  }

  /** Creates the bucket if it is missing (local platform only; on AWS the stack owns the bucket). */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }
}

/** Public URL of a poster: keys are stored, URLs are built from POSTER_BASE_URL. */
export function posterUrl(baseUrl: string, key: string | null): string | null {
  if (!key) return null;
  return `${baseUrl.replace(/\/+$/, '')}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The poster base URL for a configuration: POSTER_BASE_URL, else the bucket's own URL. */
export function posterBaseUrl(settings: S3Settings & { posterBaseUrl?: string }): string {
  if (settings.posterBaseUrl) return settings.posterBaseUrl;
  if (settings.endpoint) return `${settings.endpoint.replace(/\/+$/, '')}/${settings.bucket}`;
  return `https://${settings.bucket}.s3.${settings.region}.amazonaws.com`;
}
