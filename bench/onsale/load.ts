import { Pool } from 'undici';
import type { PhaseStats } from './stats.ts';

/** What a virtual user sees of one answer. */
export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  code: string | undefined;
}

/** One virtual user's way to send a request: over its instance's keep-alive pool, measured under `endpoint`. */
export type Send = (
  endpoint: string,
  request: { method: 'GET' | 'POST' | 'DELETE'; path: string; json?: unknown; headers?: Record<string, string> },
) => Promise<Reply>;

export interface LoadOptions {
  /** Origins to spread the virtual users over, round robin (like a load balancer with sticky connections). */
  targets: string[];
  /** Concurrent virtual users, one open connection each. */
  connections: number;
  /** How long the phase runs at most. */
  durationMs: number;
  stats: PhaseStats;
  /** One virtual user: loops until `running()` turns false. */
  user: (vu: { index: number; send: Send; running: () => boolean; stop: () => void }) => Promise<void>;
  /** When each virtual user starts and stops, from the phase start (ramping stages); all for the whole phase when absent. */
  schedule?: (index: number) => { startMs: number; stopMs: number };
}

/**
 * A closed-loop load generator on undici: each virtual user sends its next request when the previous
 * answer is in, over its own keep-alive connection. Latency is measured from send to the end of the body.
 */
export async function runLoad(options: LoadOptions): Promise<void> {
  const perTarget = Math.ceil(options.connections / options.targets.length);
  const pools = options.targets.map((origin) => new Pool(origin, { connections: perTarget, pipelining: 1, keepAliveTimeout: 60_000 }));
  const deadline = Date.now() + options.durationMs;
  let stopped = false;
  const running = () => !stopped && Date.now() < deadline;
  const stop = () => {
    stopped = true;
  };
  options.stats.startedAt = Date.now();

  // undici's dispatch with a handler of our own: no Readable body stream and no response object per answer, so
  // the generator takes less of the CPU it shares with what it measures (about half of pool.request()'s cost).
  const sendVia = (pool: Pool): Send => (endpoint, request) => new Promise<Reply>((resolve) => {
    const headers: Record<string, string> = { ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] = 'application/json';
    }
    const started = performance.now();
    let status = 0;
    const chunks: Buffer[] = [];
    const fail = (error: unknown) => {
      const code = (error as { code?: string }).code ?? 'transport_error';
      options.stats.endpoint(endpoint).record(performance.now() - started, 0, code);
      resolve({ status: 0, body: undefined, code });
    };
    pool.dispatch({ method: request.method, path: request.path, headers, body }, {
      onConnect() {},
      onHeaders(statusCode) {
        status = statusCode;
        return true;
      },
      onData(chunk) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        let parsed;
        try {
          const text = chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString();
          parsed = text ? JSON.parse(text) : undefined;
        } catch (error) {
          return fail(error);
        }
        const code = parsed?.error?.code as string | undefined;
        options.stats.endpoint(endpoint).record(performance.now() - started, status, code);
        resolve({ status, body: parsed, code });
      },
      onError(error) {
        fail(error);
      },
    });
  });

  const users = Array.from({ length: options.connections }, async (_, index) => {
    const window = options.schedule?.(index) ?? { startMs: 0, stopMs: options.durationMs };
    if (window.startMs >= window.stopMs) return;
    if (window.startMs > 0) await new Promise((resolve) => setTimeout(resolve, window.startMs));
    const stopAt = options.stats.startedAt + window.stopMs;
    const userRunning = () => running() && Date.now() < stopAt;
    if (!userRunning()) return;
    await options.user({ index, send: sendVia(pools[index % pools.length]!), running: userRunning, stop });
  });
  await Promise.all(users);
  options.stats.endedAt = Date.now();
  await Promise.all(pools.map((pool) => pool.close()));
}
