import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Deps } from './deps.ts';
import { createSecretsManagerClient } from './infra/credentials/aws-sources.ts';
import { openDatabase } from './infra/mysql/open-database.ts';
import { PasswordHasher } from './infra/password-hasher.ts';
import { createRedisClient } from './infra/redis/client.ts';
import { redisCredentials } from './infra/redis/redis-credentials.ts';
import { LoginThrottle } from './infra/redis/login-throttle.ts';
import { RoomStore } from './infra/redis/room-store.ts';
import { RoomSettings } from './infra/room-settings.ts';
import { RoomTokens } from './infra/room-tokens.ts';
import { SeatStore } from './infra/redis/seat-store.ts';
import { SessionCache } from './infra/session-cache.ts';
import { createS3Client, PosterStore } from './infra/s3/poster-store.ts';
import { BusinessMetrics } from './metrics/business-metrics.ts';
import { EventCatalog } from './services/event-catalog.ts';
import { developmentSessionKey } from './create-app.ts';

export interface Connected extends Deps {
  close(): Promise<void>;
}

/** Opens the MySQL pools, the Redis client and the S3 client of one API instance. Nothing is awaited here. */
export function connect(config: Config, logger: Logger): Connected {
  let secretsClient: SecretsManagerClient | undefined;
  const secrets = () => (secretsClient ??= createSecretsManagerClient({ region: config.AWS_REGION, secretsManagerEndpoint: config.SECRETS_MANAGER_ENDPOINT }));
  const database = openDatabase(config, logger, secrets);
  const { db } = database;
  const redis = createRedisClient(config.REDIS_URL, { mode: config.REDIS_MODE, credentials: redisCredentials(config, logger, secrets) });
  let redisDown = false;
  redis.on('error', (error: Error) => {
    if (!redisDown) logger.warn({ err: error }, 'Redis unavailable; reconnecting');
    redisDown = true;
  });
  redis.on('ready', () => {
    if (redisDown) logger.info('Redis reconnected');
    redisDown = false;
  });
  const roomStore = new RoomStore(redis, config.REDIS_KEY_PREFIX);
  const s3 = createS3Client({ bucket: config.S3_BUCKET, region: config.AWS_REGION, endpoint: config.S3_ENDPOINT });
  return {
    config,
    db,
    redis,
    sessionCache: new SessionCache({ ttlMs: config.SESSION_CACHE_MS }),
    logger,
    metrics: new BusinessMetrics(config.METRICS_NAMESPACE),
    seats: new SeatStore(redis, config.REDIS_KEY_PREFIX),
    reads: database.reads,
    connectPrimary: database.connectPrimary,
    catalog: new EventCatalog(database.reads),
    rooms: {
      store: roomStore,
      settings: new RoomSettings(db, roomStore),
      tokens: config.WAITING_ROOM_TOKEN_KEYS?.length
        ? new RoomTokens(config.WAITING_ROOM_TOKEN_KEYS)
        : RoomTokens.derivedFrom(config.SESSION_KEYS ?? [developmentSessionKey]),
    },
    posters: new PosterStore(s3, config.S3_BUCKET),
    passwords: new PasswordHasher({
      cost: config.PASSWORD_HASH_COST,
      concurrency: config.PASSWORD_HASH_CONCURRENCY,
      queue: config.PASSWORD_HASH_QUEUE,
    }),
    loginThrottle: new LoginThrottle(redis, config.REDIS_KEY_PREFIX, {
      failures: config.LOGIN_THROTTLE_FAILURES,
      maxWaitMs: config.LOGIN_THROTTLE_MAX_SECONDS * 1000,
    }),
    async close() {
      await Promise.allSettled([database.close(), redis.quit()]);
      s3.destroy();
      secretsClient?.destroy();
    },
  };
}
