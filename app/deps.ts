import type { Redis } from 'ioredis';
import type { Pool } from 'mysql2/promise';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { SeatStore } from './infra/redis/seat-store.ts';
import type { PosterStore } from './infra/s3/poster-store.ts';
import type { EventCatalog } from './services/event-catalog.ts';

/** What the API needs from the outside world; created by the composition root and passed in. */
export interface Deps {
  config: Config;
  db: Pool;
  redis: Redis;
  seats: SeatStore;
  catalog: EventCatalog;
  posters: PosterStore;
  logger: Logger;
}
