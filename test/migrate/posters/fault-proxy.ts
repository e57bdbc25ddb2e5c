import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the proxy saw it (before any fault). */
export interface SeenRequest {
  readonly method: string;
  /** Decoded path without the query, e.g. `/bucket/posters/a b.jpg`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly bodyBytes: number;
}

/**
 * What to do with a request: forward it, answer 503 SlowDown, drop the connection mid-request,
 * delay it, forward it with one byte of the body flipped (what real S3 would refuse by checksum), or
 * (with `emulateChecksums`) forward it but report a checksum other than the one of the bytes received.
 */
export type Fault = 'pass' | 'slowdown' | 'drop' | 'corrupt' | 'misreport' | { delayMs: number };

/** A loopback proxy in front of the local S3 server that injects faults chosen per request. */
export interface FaultProxy {
  readonly endpoint: string;
  readonly seen: SeenRequest[];
  decide: (request: SeenRequest, index: number) => Fault;
  /**
   * Behave like real S3 for a single PUT that carries `x-amz-checksum-sha256` (s3rver ignores it):
   * refuse it with 400 BadDigest when the bytes received do not match, else store it and answer with
   * the checksum of what was received.
   */
  emulateChecksums: boolean;
  close(): Promise<void>;
}

const SLOW_DOWN = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';
const BAD_DIGEST = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>BadDigest</Code><Message>The SHA256 you specified did not match the calculated checksum.</Message></Error>';

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  // A fresh upstream connection per request: a reused one may have been closed by the server meanwhile.
  const agent = new http.Agent({ keepAlive: false });
  const proxy: FaultProxy = {
    endpoint: '',
    seen: [],
    decide: () => 'pass',
    emulateChecksums: false,
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://proxy');
    const request: SeenRequest = {
      method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.searchParams, headers: req.headers, bodyBytes: body.length,
    };
    const index = proxy.seen.push(request) - 1;
    const fault = proxy.decide(request, index);
    if (fault === 'slowdown') {
      res.writeHead(503, { 'content-type': 'application/xml' }).end(SLOW_DOWN);
      return;
    }
    if (fault === 'drop') {
      req.socket.destroy();
      return;
    }
    if (typeof fault === 'object') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault === 'corrupt' && body.length > 0) body[Math.floor(body.length / 2)]! ^= 0xff;
    const sentChecksum = req.headers['x-amz-checksum-sha256'];
    const checked = proxy.emulateChecksums && req.method === 'PUT' && typeof sentChecksum === 'string' && !url.searchParams.has('partNumber');
    const received = checked ? createHash('sha256').update(body).digest('base64') : undefined;
    if (checked && received !== sentChecksum) {
      res.writeHead(400, { 'content-type': 'application/xml' }).end(BAD_DIGEST);
      return;
    }
    const reported = fault === 'misreport' ? createHash('sha256').update('not these bytes').digest('base64') : received;
    // The body is already here: the upstream must not wait to be asked for it.
    const { expect: _expect, ...headers } = req.headers;
    const forwarded = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (upstreamRes) => {
        const status = upstreamRes.statusCode ?? 502;
        res.writeHead(status, { ...upstreamRes.headers, ...(reported && status === 200 ? { 'x-amz-checksum-sha256': reported } : {}) });
        upstreamRes.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    forwarded.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (proxy as { endpoint: string }).endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

/** Uploads seen by the proxy (single PUTs and parts), by object key. */
export function uploadsOf(proxy: FaultProxy, bucket: string): SeenRequest[] {
  return proxy.seen.filter((request) => request.method === 'PUT' && request.path.startsWith(`/${bucket}/`) && request.bodyBytes > 0);
}

export function keyOf(request: SeenRequest, bucket: string): string {
  return request.path.slice(bucket.length + 2);
}
