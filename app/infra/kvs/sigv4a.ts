import { createECDH, createHash, createHmac, createPrivateKey, sign, type KeyObject } from 'node:crypto';

/**
 * AWS Signature Version 4A (ECDSA P-256 over SHA-256), which CloudFront KeyValueStore's data plane requires.
 * AWS's own signer (@aws-sdk/signature-v4-crt) needs the native CRT; @smithy/signature-v4a 3.x is pure JS with
 * its own BigInt curve arithmetic. This one is ~100 lines on node:crypto (OpenSSL's P-256), checked against
 * @smithy/signature-v4a's key-derivation vector and an aws-c-auth v4a suite signature (test/app/kvs-publisher.test.ts).
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const curveOrder = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
const algorithm = 'AWS4-ECDSA-P256-SHA256';
const derivedKeys = new Map<string, KeyObject>();

/**
 * The ECDSA key SigV4A derives from a secret access key: NIST SP 800-108 HMAC-SHA256 in counter mode over
 * "AWS4A" + secret, retried with an external counter until the candidate is below n - 1; the key is candidate + 1.
 */
export function deriveSigningKey(credentials: AwsCredentials): KeyObject {
  const cacheKey = `${credentials.accessKeyId}\u0000${credentials.secretAccessKey}`;
  const cached = derivedKeys.get(cacheKey);
  if (cached) return cached;
  const inputKey = Buffer.from(`AWS4A${credentials.secretAccessKey}`);
  for (let counter = 1; counter <= 254; counter++) {
    const fixedInput = Buffer.concat([
      Buffer.from([0, 0, 0, 1]),
      Buffer.from(algorithm),
      Buffer.from([0]),
      Buffer.from(credentials.accessKeyId),
      Buffer.from([counter]),
      Buffer.from([0, 0, 1, 0]),
    ]);
    const candidate = BigInt(`0x${createHmac('sha256', inputKey).update(fixedInput).digest('hex')}`);
    if (candidate > curveOrder - 2n) continue;
    const d = Buffer.from((candidate + 1n).toString(16).padStart(64, '0'), 'hex');
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey();
    const key = createPrivateKey({
      format: 'jwk',
      key: { kty: 'EC', crv: 'P-256', d: d.toString('base64url'), x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    });
    derivedKeys.set(cacheKey, key);
    return key;
  }
  throw new Error('could not derive a SigV4A key from these credentials');
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
/** RFC 3986 encoding, as SigV4 canonicalizes. */
const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface SignedParts {
  canonicalRequest: string;
  stringToSign: string;
}

/** The canonical request and string to sign of a request (services other than S3 encode the path's segments again). */
export function stringToSign(
  request: { method: string; url: URL; headers: Record<string, string>; body: string },
  options: { service: string; now: Date; signedHeaders: string[] },
): SignedParts {
  const amzDate = options.now.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const scope = `${amzDate.slice(0, 8)}/${options.service}/aws4_request`;
  const path = request.url.pathname.split('/').map(encode).join('/') || '/';
  const query = [...request.url.searchParams].map(([k, v]) => `${encode(k)}=${encode(v)}`).sort().join('&');
  const lower = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, ' ')]));
  const names = [...options.signedHeaders].sort();
  const canonicalRequest = [
    request.method, path, query, names.map((name) => `${name}:${lower[name] ?? ''}\n`).join(''), names.join(';'), sha256(request.body),
  ].join('\n');
  return { canonicalRequest, stringToSign: [algorithm, amzDate, scope, sha256(canonicalRequest)].join('\n') };
}

/** The headers that sign `request` with SigV4A for `service`, valid in every region (`X-Amz-Region-Set: *`). */
export function signV4a(
  request: { method: string; url: URL; headers: Record<string, string>; body: string },
  credentials: AwsCredentials,
  options: { service: string; now?: Date; regionSet?: string },
): Record<string, string> {
  const now = options.now ?? new Date();
  const amzDate = now.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.url.host,
    'x-amz-date': amzDate,
    'x-amz-region-set': options.regionSet ?? '*',
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  const signedHeaders = Object.keys(headers).map((name) => name.toLowerCase()).sort();
  const parts = stringToSign({ ...request, headers }, { service: options.service, now, signedHeaders });
  const signature = sign('sha256', Buffer.from(parts.stringToSign), { key: deriveSigningKey(credentials), dsaEncoding: 'der' }).toString('hex');
  const scope = `${amzDate.slice(0, 8)}/${options.service}/aws4_request`;
  return {
    ...headers,
    authorization: `${algorithm} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
  };
}
