import { createHash, createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyValueStoreClient } from '../../app/infra/kvs/key-value-store.ts';
import { deriveSigningKey, signV4a, stringToSign } from '../../app/infra/kvs/sigv4a.ts';
import { createTestPlatform, organizer, type TestPlatform } from '../support/api.ts';
import { HttpClient, logIn } from '../support/http-client.ts';
import { waitUntil } from '../support/wait.ts';

// The aws-c-auth SigV4A test suite (tests/aws-signing-test-suite/v4a): the key its get-vanilla request was signed
// with (get-vanilla-with-session-token/key.pem) and that signature, which checks our canonical request and string to sign.
const suiteKeyPem = [
  '-----BEGIN EC PRIVATE KEY-----',
  'MHcCAQEEIIm7LQIWSBKju98BVYGTLtEC419gHG4EB0Dqqxa1JuHSoAoGCCqGSM49AwEHoUQDQgAEFGiW',
  'O1MjQ5w61e9aQGW1bCT1zpTdgQxUuVW+vbmJ6NIvclSY4rkJDmUwyNNdKgrkC3Lq4eRydZRgbu1yCKcA',
  'lQ==',
  '-----END EC PRIVATE KEY-----',
].join('\n');
const vanillaSignature =
  '3045022100f4c37457a8978d07fa07044d5724237f8c30f8529c4c4cd1f30a4c0e6486303f02207968f80296f1ac3808e3cb45ae1f31c479d071dcad4f0621084cd6d1b6a912bd';

describe('the SigV4A signer', () => {
  it('derives the key @smithy/signature-v4a derives (its test vector), and builds the string to sign aws-c-auth signed', () => {
    // @smithy/signature-v4a's credentialDerivation test: access key "test-secret", secret "test-access-key".
    const derived = deriveSigningKey({ accessKeyId: 'test-secret', secretAccessKey: 'test-access-key' }).export({ format: 'jwk' });
    expect([...Buffer.from(derived.d!, 'base64url')]).toEqual([
      107, 171, 179, 226, 62, 241, 77, 131, 240, 163, 149, 40, 120, 236, 169, 100, 28, 130, 40, 97, 214, 239, 24, 15,
      158, 224, 37, 30, 241, 83, 119, 174,
    ]);
    const { stringToSign: text } = stringToSign(
      {
        method: 'GET',
        url: new URL('https://example.amazonaws.com/'),
        headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z', 'x-amz-region-set': 'us-east-1' },
        body: '',
      },
      { service: 'service', now: new Date('2015-08-30T12:36:00Z'), signedHeaders: ['host', 'x-amz-date', 'x-amz-region-set'] },
    );
    expect(text.split('\n').slice(0, 3)).toEqual(['AWS4-ECDSA-P256-SHA256', '20150830T123600Z', '20150830/service/aws4_request']);
    const publicKey = createPublicKey(createPrivateKey(suiteKeyPem));
    expect(verify('sha256', Buffer.from(text), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(vanillaSignature, 'hex'))).toBe(true);
    expect(verify('sha256', Buffer.from(`${text}x`), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(vanillaSignature, 'hex'))).toBe(false);
  });
});

/** A stand-in for the KeyValueStore data plane: checks each request's SigV4A signature with node:crypto's ECDSA. */
class FakeKeyValueStore {
  readonly items = new Map<string, string>();
  etag = 'E1';
  refused: string[] = [];
  server: Server = createServer((req, res) => void this.handle(req, res.writeHead.bind(res), res.end.bind(res)));

  constructor(private readonly credentials: { accessKeyId: string; secretAccessKey: string }) {}

  async listen(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The signature check, written apart from the signer: canonical request from the request as received. */
  private signed(req: IncomingMessage, body: string): boolean {
    const match = /^AWS4-ECDSA-P256-SHA256 Credential=([^/]+)\/(\d{8})\/cloudfront-keyvaluestore\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]+)$/.exec(
      req.headers.authorization ?? '',
    );
    if (!match || match[1] !== this.credentials.accessKeyId || req.headers['x-amz-region-set'] !== '*') return false;
    const names = match[3]!.split(';');
    if (!['host', 'x-amz-date', 'x-amz-region-set'].every((name) => names.includes(name))) return false;
    const [rawPath = ''] = (req.url ?? '').split('?');
    const canonicalPath = rawPath.split('/').map((segment) => encodeURIComponent(segment)).join('/');
    const headerLines = names.map((name) => `${name}:${String(req.headers[name]).trim()}\n`).join('');
    const hash = (text: string) => createHash('sha256').update(text).digest('hex');
    const canonical = [req.method, canonicalPath, '', headerLines, names.join(';'), hash(body)].join('\n');
    const text = ['AWS4-ECDSA-P256-SHA256', req.headers['x-amz-date'], `${match[2]}/cloudfront-keyvaluestore/aws4_request`, hash(canonical)].join('\n');
    const publicKey = createPublicKey(deriveSigningKey(this.credentials));
    return verify('sha256', Buffer.from(text), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(match[4]!, 'hex'));
  }

  private async handle(req: IncomingMessage, head: (status: number, headers?: Record<string, string>) => void, end: (body?: string) => void) {
    let body = '';
    for await (const chunk of req) body += chunk;
    const json = { 'content-type': 'application/json' };
    if (!this.signed(req, body)) {
      this.refused.push(`${req.method} ${req.url}`);
      head(403, json);
      return end('{"message":"The request signature we calculated does not match the signature you provided."}');
    }
    if (req.method === 'GET') {
      head(200, { ...json, etag: this.etag });
      return end(JSON.stringify({ ItemCount: this.items.size }));
    }
    if (req.headers['if-match'] !== this.etag) {
      head(409, json);
      return end('{"message":"Pre-condition failed: ETag mismatch"}');
    }
    for (const { Key, Value } of JSON.parse(body).Puts as { Key: string; Value: string }[]) this.items.set(Key, Value);
    this.etag = `E${Number(this.etag.slice(1)) + 1}`;
    head(200, { ...json, etag: this.etag });
    end(JSON.stringify({ ItemCount: this.items.size, TotalSizeInBytes: 0 }));
  }
}

const arn = 'arn:aws:cloudfront::123456789012:key-value-store/my-first-kvs-e10b1dce4f394248811e77167e0451ba';
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
let fake: FakeKeyValueStore;
let endpoint: string;

beforeAll(async () => {
  fake = new FakeKeyValueStore(credentials);
  endpoint = await fake.listen();
});
afterAll(() => new Promise((resolve) => fake.server.close(resolve)));

describe('the KeyValueStore client', () => {
  it('writes signed UpdateKeys with the ETag, reads the ETag again when another writer changed the store, and is refused with a wrong key', async () => {
    const client = new KeyValueStoreClient({ arn, endpoint, credentials: async () => credentials });
    await client.put([{ key: 'room.1', value: '{"on":1}' }]);
    expect(fake.items.get('room.1')).toBe('{"on":1}');
    fake.etag = 'E40'; // someone else wrote
    await client.put([{ key: 'room.2', value: '{"on":0}' }]);
    expect(fake.items.get('room.2')).toBe('{"on":0}');
    expect(fake.refused).toEqual([]);

    const wrong = new KeyValueStoreClient({ arn, endpoint, credentials: async () => ({ ...credentials, secretAccessKey: 'not-the-secret' }) });
    await expect(wrong.put([{ key: 'room.3', value: '{}' }])).rejects.toThrow(/403/);
    expect(fake.refused.length).toBeGreaterThan(0);
    expect(signV4a({ method: 'GET', url: new URL(endpoint), headers: {}, body: '' }, { ...credentials, sessionToken: 'token' }, { service: 'x' })).toMatchObject({
      'x-amz-security-token': 'token',
      'x-amz-region-set': '*',
    });
  });
});

describe('the room publisher', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    fake.refused = [];
    fake.items.clear();
    process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    platform = await createTestPlatform({ WAITING_ROOM_KVS_ARN: arn, WAITING_ROOM_KVS_ENDPOINT: endpoint, WAITING_ROOM_PUBLISH_SECONDS: '1' });
  });
  afterAll(() => platform.stop());

  it('writes each room’s record and the token keys to the KeyValueStore, from one of two instances', async () => {
    const [a, b] = [await platform.startInstance(), await platform.startInstance()];
    const admin = new HttpClient(a!.url);
    await logIn(admin, organizer.email, organizer.password);
    const created = await admin.post('/api/admin/events', {
      name: 'Published', venue: 'Arena', startsAt: new Date(Date.now() + 86_400_000).toISOString(), onSaleAt: new Date(Date.now() - 1_000).toISOString(),
      sections: [{ name: 'Floor', rows: 1, seatsPerRow: 5, priceCents: 100 }],
      waitingRoom: { enabled: true, opensAt: new Date(Date.now() - 60_000).toISOString(), admissionRatePerMinute: 120, maxActive: 50, admissionTtlSeconds: 60 },
    });
    const eventId = created.body.event.id as number;
    await waitUntil('the room record in the KeyValueStore', () => fake.items.has(`room.${eventId}`), 15_000, 100);
    const record = JSON.parse(fake.items.get(`room.${eventId}`)!);
    expect(record).toMatchObject({ on: 1, r: 120, t: 60, s: 0, p: 0 });
    expect(Buffer.byteLength(fake.items.get(`room.${eventId}`)!)).toBeLessThan(1024);
    expect(JSON.parse(fake.items.get('room.keys')!)).toEqual(a!.deps.rooms.tokens.keys);
    expect(fake.refused).toEqual([]);
    // The publisher's instance writes the stall alarm's gauge for the room: 0, nobody waits.
    const stallGauges = [a!, b!].flatMap((instance) => instance.deps.metrics.drain()).filter((record) => record['EventId'] === String(eventId) && 'QueueStalledSeconds' in record);
    expect(stallGauges.length).toBeGreaterThan(0);
    expect(stallGauges.every((record) => record['QueueStalledSeconds'] === 0)).toBe(true);
  });
});
