import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './create-app.ts';
import type { Connected } from './connect.ts';
import { prepareInstance } from './start-up.ts';

/** The load balancer waits 30 s before cutting a draining target off; finish in-flight work within 25 s. */
export const drainTimeoutMs = 25_000;

export interface RunningApi {
  server: Server;
  url: string;
  /** Resolves when the instance is ready (start-up done), rejects if start-up failed. */
  ready: Promise<void>;
  /** Stops accepting, drains in-flight requests (at most `drainTimeoutMs`), closes pools. */
  stop(): Promise<void>;
}

/** Listens at once (so liveness answers) and becomes ready when start-up work is done. */
export async function startApi(deps: Connected, options: { port: number; host?: string }): Promise<RunningApi> {
  let isReady = false;
  let stopping = false;
  const abort = new AbortController();
  const { app } = createApp(deps, () => isReady && !stopping);
  const server = createServer(app.callback());
  // Longer than the ALB's idle timeout (60 s), so the ALB never reuses a connection we are closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const ready = prepareInstance(deps, { signal: abort.signal }).then(() => {
    isReady = true;
    deps.logger.info({ port }, 'instance ready');
  });
  ready.catch(() => undefined);

  return {
    server,
    url: `http://127.0.0.1:${port}`,
    ready,
    async stop() {
      stopping = true;
      abort.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const forced = setTimeout(() => server.closeAllConnections(), drainTimeoutMs);
      await closed;
      clearTimeout(forced);
      await deps.close();
    },
  };
}
