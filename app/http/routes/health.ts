import type Router from '@koa/router';
import type { Deps } from '../../deps.ts';
import type { AppState } from '../context.ts';

const probeTimeoutMs = 1_000;

/** Liveness needs nothing; readiness needs a finished start-up, MySQL and Redis. */
export function healthRoutes(router: Router<AppState>, deps: Deps, isReady: () => boolean): void {
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    const checks = {
      startup: isReady(),
      mysql: await probe(() => deps.db.query('SELECT 1')),
      redis: await probe(() => deps.redis.ping()),
    };
    const ready = Object.values(checks).every(Boolean);
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not_ready', checks };
  });
}

async function probe(check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('probe timed out')), probeTimeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
