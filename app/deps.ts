import type { RedisClient } from './infra/redis/client.ts';
import type { Connection, Pool } from 'mysql2/promise';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { ReadRouter } from './infra/mysql/replica/read-router.ts';
import type { PasswordHasher } from './infra/password-hasher.ts';
import type { LoginThrottle } from './infra/redis/login-throttle.ts';
import type { RoomStore } from './infra/redis/room-store.ts';
import type { RoomSettings } from './infra/room-settings.ts';
import type { RoomTokens } from './infra/room-tokens.ts';
import type { SeatStore } from './infra/redis/seat-store.ts';
import type { SessionCache } from './infra/session-cache.ts';
import type { PosterStore } from './infra/s3/poster-store.ts';
import type { BusinessMetrics } from './metrics/business-metrics.ts';
import type { EventCatalog } from './services/event-catalog.ts';

/** What the API needs from the outside world; created by the composition root and passed in. */
export interface Deps {
  config: Config;
  /** The primary: writes, and reads that must see the latest writes (holds, purchases, idempotency, inventory). */
  db: Pool;
  /** Reads that tolerate lag (catalogue, order history): the read replica when one is usable. */
  reads: ReadRouter;
  /** One connection to the primary outside the pool, with the pool's credentials (schema migrations). */
  connectPrimary(options?: { multipleStatements?: boolean }): Promise<Connection>;
  redis: RedisClient;
  /** Sessions this instance read from Redis, trusted for SESSION_CACHE_MS on the hold path. */
  sessionCache: SessionCache;
  seats: SeatStore;
  catalog: EventCatalog;
  posters: PosterStore;
  /** Every password hash of the instance goes through it (bounded concurrency). */
  passwords: PasswordHasher;
  loginThrottle: LoginThrottle;
  logger: Logger;
  /** Business events (holds, purchases, failures) counted for CloudWatch. */
  metrics: BusinessMetrics;
  /** The waiting rooms: queues and admissions in Redis, each event's settings, the signed tokens. */
  rooms: { store: RoomStore; settings: RoomSettings; tokens: RoomTokens };
}
