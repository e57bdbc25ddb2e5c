import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3 } from './aws-sdk.ts';
import { reuseBodyChecksumForSigning } from './payload-hash-middleware.ts';

export interface S3ClientOptions {
  /** Custom endpoint (S3-compatible server); path-style addressing is used with it. */
  readonly endpoint?: string;
  /** @default env AWS_REGION, AWS_DEFAULT_REGION, or us-east-1 */
  readonly region?: string;
  /** Sockets kept open per host: enough for every part of every file in flight. */
  readonly maxSockets: number;
  /** SDK-level attempts per request; file-level retries come on top (see retry.ts). @default 3 */
  readonly maxAttempts?: number;
  /** @default 60000 */
  readonly requestTimeoutMs?: number;
  readonly env: NodeJS.ProcessEnv;
}

/** One S3 client for a run: keep-alive sockets, adaptive retries (client-side throttling on SlowDown). */
export function createS3Client(options: S3ClientOptions): S3Client {
  const { env } = options;
  // The SDK only reads this from process.env; its Node 20 notice would break the one-line stderr contract.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
      : undefined;
  const client = new s3.S3Client({
    region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    retryMode: 'adaptive',
    requestHandler: {
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: 10_000,
      requestTimeout: options.requestTimeoutMs ?? 60_000,
    },
  });
  reuseBodyChecksumForSigning(client);
  // Nothing here logs SDK calls, yet this middleware would walk every listing response to redact it.
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
