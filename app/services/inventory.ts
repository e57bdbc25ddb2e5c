import type { Deps } from '../deps.ts';
import { soldSeatsOfEvent } from '../infra/mysql/orders.ts';

const loading = new Map<string, Promise<void>>();

/**
 * Makes sure Redis knows an event's sold seats before any hold is granted. After Redis loses its data
 * (restart, failover, FLUSHALL) the ledger in MySQL is the source of truth and is loaded again.
 */
export async function ensureInventoryLoaded(deps: Pick<Deps, 'db' | 'seats' | 'logger' | 'metrics'>, eventId: number): Promise<void> {
  if (await deps.seats.isLoaded(eventId)) return;
  const key = `${eventId}`;
  let load = loading.get(key);
  if (!load) {
    load = (async () => {
      const { sold, boughtByUser } = await soldSeatsOfEvent(deps.db, eventId);
      await deps.seats.loadSoldSeats(eventId, sold, boughtByUser);
      deps.logger.info({ eventId, soldSeats: sold.length }, 'seat inventory loaded from the ledger');
      deps.metrics.count('InventoryRebuilds');
    })().finally(() => loading.delete(key));
    loading.set(key, load);
  }
  await load;
}
