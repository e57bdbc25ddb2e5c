import { createServer, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { createApp } from './create-app.ts';
import type { Connected } from './connect.ts';
import { startMetricsFlush } from './metrics/metrics-flush.ts';
import { prepareInstance } from './start-up.ts';
import { startConfiguredPublisher } from './services/room-publisher-config.ts';

/** The load balancer waits 30 s before cutting a draining target off; finish in-flight work within 25 s. */
export const drainTimeoutMs = 25_000;
/**
 * How long no request may have arrived before a draining instance closes its idle keep-alive
 * connections. Closing them at once races with clients that are just writing a request on one (it is
 * reset, unanswered); once the load balancer has moved traffic away, nothing arrives any more.
 */
export const drainQuietMs = 500;

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
  // Draining fails /readyz but still serves what reaches the instance: no 5xx from a draining instance.
  const { handle, holdFastPath } = createApp(deps, () => isReady, () => stopping);
  const inFlight = new Set<ServerResponse>();
  let lastRequestAt = 0;
  const server = createServer((req, res) => {
    lastRequestAt = performance.now();
    // While draining, each answer closes its connection, so keep-alive clients move on to another
    // instance and the process exits as soon as its work is done rather than after the drain timeout.
    if (stopping) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    if (!holdFastPath(req, res)) void handle(req, res);
  });
  // Longer than the ALB's idle timeout (60 s), so the ALB never reuses a connection we are closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const metricsFlush = startMetricsFlush(deps.metrics, deps.logger, deps.config.METRICS_FLUSH_SECONDS * 1000);
  let publisher: Awaited<ReturnType<typeof startConfiguredPublisher>>;
  const ready = prepareInstance(deps, { signal: abort.signal }).then(() => {
    publisher = startConfiguredPublisher(deps);
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
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      abort.abort();
      const forced = setTimeout(() => server.closeAllConnections(), drainTimeoutMs);
      // Stop accepting connections now, but not (yet) close the idle keep-alive ones: http's close()
      // would do both, so net.Server's own close is called. It resolves once every connection has ended.
      const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
      // Requests that still come on open connections are served (with Connection: close) until none has
      // come for drainQuietMs; the drain timeout caps the wait.
      const giveUpAt = performance.now() + drainTimeoutMs - drainQuietMs;
      const quietFor = () => performance.now() - lastRequestAt;
      while (quietFor() < drainQuietMs && performance.now() < giveUpAt) await sleep(drainQuietMs - quietFor());
      server.closeIdleConnections();
      await closed;
      clearTimeout(forced);
      await publisher?.stop();
      // After the last request: the counts of the drain are in the final records.
      metricsFlush.stop();
      await deps.close();
    },
  };
}
