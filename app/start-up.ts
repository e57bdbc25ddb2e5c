import type { Deps } from './deps.ts';
import { isDependencyFailure } from './http/dependency-failure.ts';
import { migrateSchema } from './infra/mysql/migrate-schema.ts';
import { waitForRedis } from './infra/redis/client.ts';
import { bootstrapOrganizer } from './services/auth.ts';

/**
 * What an instance does before it is ready: wait for Redis and MySQL, migrate the schema (once across
 * all instances, under a named lock), create the organizer. Unreachable dependencies are retried;
 * anything else (a broken migration, bad credentials) is thrown.
 */
export async function prepareInstance(deps: Deps, options: { signal?: AbortSignal } = {}): Promise<void> {
  await retryWhileUnavailable(deps, 'Redis', () => waitForRedis(deps.redis, 5_000), options.signal);
  await retryWhileUnavailable(deps, 'MySQL', async () => {
    const connection = await deps.connectPrimary({ multipleStatements: true });
    try {
      const { applied } = await migrateSchema(connection);
      if (applied.length) deps.logger.info({ versions: applied }, 'schema migrated');
    } finally {
      await connection.end();
    }
  }, options.signal);
  await bootstrapOrganizer(deps);
}

async function retryWhileUnavailable(
  deps: Deps,
  name: string,
  attempt: () => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  for (let delayMs = 250; ; delayMs = Math.min(delayMs * 2, 5_000)) {
    try {
      return await attempt();
    } catch (error) {
      const unavailable = isDependencyFailure(error) || /did not answer/.test((error as Error).message);
      if (!unavailable || signal?.aborted) throw error;
      deps.logger.warn({ err: error, retryInMs: delayMs }, `${name} not reachable yet`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
