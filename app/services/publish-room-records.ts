import { randomUUID } from 'node:crypto';
import { AdmissionStallWatch } from '../domain/admission-stall.ts';
import type { Deps } from '../deps.ts';
import type { KeyValueStoreClient } from '../infra/kvs/key-value-store.ts';
import { roomRecord } from './queue-place.ts';

export interface RoomPublisher {
  stop(): Promise<void>;
}

/** The KeyValueStore key of an event's room record and of the token keys (JSON values, well under 1 KB each). */
export const roomKvsKey = (eventId: number) => `room.${eventId}`;
export const tokenKeysKvsKey = 'room.keys';

/**
 * One publisher for the whole fleet (a Redis lease): every `everyMs` it advances each room to now (so admission
 * keeps its rate even when every poll is answered at the edge) and writes each room's record and the token keys
 * to the CloudFront KeyValueStore in one UpdateKeys call. What the edge serves is at most one period plus KVS
 * propagation behind Redis; the API always enforces the admission itself.
 */
export function startRoomPublisher(deps: Deps, kvs: KeyValueStoreClient, everyMs: number): RoomPublisher {
  const instanceId = randomUUID();
  let running: Promise<void> = Promise.resolve();
  const stalls = new AdmissionStallWatch();
  const tick = async () => {
    if (!(await deps.rooms.store.lead(instanceId, everyMs * 3))) return;
    const items = [{ key: tokenKeysKvsKey, value: JSON.stringify(deps.rooms.tokens.keys) }];
    const eventIds = await deps.rooms.store.rooms();
    stalls.retain(new Set(eventIds));
    for (const eventId of eventIds) {
      const state = await deps.rooms.store.advance(eventId);
      if (!state) continue;
      const progress = { enabled: state.mirror.enabled, onSaleAt: state.mirror.onSaleAt, waiting: state.waiting, reachedTotal: state.totals.reached };
      deps.metrics.gauge('QueueStalledSeconds', stalls.observe(eventId, progress, Date.now()), { EventId: String(eventId) });
      if (state.reached) deps.metrics.count('QueueAdmitted', state.reached);
      if (state.expired) deps.metrics.count('QueueAdmissionsExpired', state.expired);
      deps.metrics.gauge('QueueLength', state.waiting, { EventId: String(eventId) });
      items.push({ key: roomKvsKey(eventId), value: JSON.stringify(roomRecord(state.mirror, state.served, state.preQueue)) });
    }
    await kvs.put(items);
  };
  const timer = setInterval(() => {
    running = running.then(tick).catch((error: Error) => deps.logger.warn({ err: error }, 'waiting-room publish failed; retrying next period'));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
