import { signV4a, type AwsCredentials } from './sigv4a.ts';

/** CloudFront KeyValueStore's limits, which shape what the publisher writes. */
export const kvsLimits = { keyBytes: 512, valueBytes: 1024, totalBytes: 5 * 1024 * 1024, putsPerRequest: 50 } as const;

export interface KeyValueStoreOptions {
  arn: string;
  /** @default https://<account>.cloudfront-kvs.global.api.aws (from the ARN) */
  endpoint?: string;
  credentials: () => Promise<AwsCredentials>;
}

export class KeyValueStoreError extends Error {
  constructor(readonly status: number, body: string) {
    super(`CloudFront KeyValueStore answered ${status}: ${body.slice(0, 300)}`);
  }
}

/**
 * The two data-plane calls the publisher needs: DescribeKeyValueStore (for the ETag) and UpdateKeys (puts, with
 * the ETag in If-Match). Signed with SigV4A; a write that lost the ETag race reads it again and retries once.
 */
export class KeyValueStoreClient {
  private etag: string | undefined;
  private readonly base: string;

  constructor(private readonly options: KeyValueStoreOptions) {
    const account = /^arn:aws:cloudfront::(\d{12}):key-value-store\//.exec(options.arn)?.[1];
    if (!account && !options.endpoint) throw new Error(`not a KeyValueStore ARN: ${options.arn}`);
    this.base = `${(options.endpoint ?? `https://${account}.cloudfront-kvs.global.api.aws`).replace(/\/+$/, '')}/key-value-stores/${encodeURIComponent(options.arn)}`;
  }

  private async send(method: string, path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
    const url = new URL(this.base + path);
    const signed = signV4a({ method, url, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body }, await this.options.credentials(), {
      service: 'cloudfront-keyvaluestore',
    });
    delete signed.host;
    return fetch(url, { method, headers: signed, body: body || undefined, signal: AbortSignal.timeout(5_000) });
  }

  async describe(): Promise<{ etag: string; itemCount: number }> {
    const response = await this.send('GET', '', '');
    const text = await response.text();
    if (!response.ok) throw new KeyValueStoreError(response.status, text);
    this.etag = response.headers.get('etag') ?? undefined;
    return { etag: this.etag ?? '', itemCount: Number(JSON.parse(text).ItemCount ?? 0) };
  }

  /** Writes the values (at most `kvsLimits.putsPerRequest` per call, all or nothing). */
  async put(items: { key: string; value: string }[]): Promise<void> {
    for (let i = 0; i < items.length; i += kvsLimits.putsPerRequest) {
      const body = JSON.stringify({ Puts: items.slice(i, i + kvsLimits.putsPerRequest).map(({ key, value }) => ({ Key: key, Value: value })) });
      for (let attempt = 1; ; attempt++) {
        if (!this.etag) await this.describe();
        const response = await this.send('POST', '/keys', body, { 'if-match': this.etag! });
        const text = await response.text();
        if (response.ok) {
          this.etag = response.headers.get('etag') ?? undefined;
          break;
        }
        this.etag = undefined;
        // 409/412: another writer changed the store since our ETag; read it again once.
        if (attempt === 2 || (response.status !== 409 && response.status !== 412)) throw new KeyValueStoreError(response.status, text);
      }
    }
  }
}
