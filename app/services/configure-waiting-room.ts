import type { Deps } from '../deps.ts';
import { errors } from '../errors.ts';
import { findEventRow } from '../infra/mysql/events.ts';
import { findWaitingRoom, saveWaitingRoom, type WaitingRoomRow } from '../infra/mysql/waiting-rooms.ts';

export interface WaitingRoomSettings {
  enabled: boolean;
  opensAt: string;
  admissionRatePerMinute: number;
  maxActive: number;
  admissionTtlSeconds: number;
}

/** An event's room as its organizer sees it: the settings and what the queue looks like now. */
export interface WaitingRoomView extends WaitingRoomSettings {
  eventId: number;
  onSaleAt: string;
  now: {
    /** Buyers in the queue whose place is not reached yet. */
    waiting: number;
    /** Admissions live now (never above maxActive). */
    admitted: number;
    joined: number;
    reachedTotal: number;
    expiredTotal: number;
  };
}

export function toRow(settings: WaitingRoomSettings): WaitingRoomRow {
  return { ...settings, opensAt: new Date(settings.opensAt) };
}

/** Sets (or changes) the event's room. It gates at once on every instance within a second (RoomSettings' cache). */
export async function setWaitingRoom(deps: Deps, eventId: number, settings: WaitingRoomSettings): Promise<WaitingRoomView> {
  const event = await findEventRow(deps.db, eventId);
  if (!event) throw errors.notFound('event');
  if (Date.parse(settings.opensAt) > event.onSaleAt.getTime()) {
    throw errors.validationFailed([{ path: 'opensAt', message: 'the pre-queue opens before the on-sale (onSaleAt)' }]);
  }
  await saveWaitingRoom(deps.db, eventId, toRow(settings));
  await deps.rooms.settings.reload(eventId);
  return describeWaitingRoom(deps, eventId);
}

export async function describeWaitingRoom(deps: Deps, eventId: number): Promise<WaitingRoomView> {
  const [event, room] = await Promise.all([findEventRow(deps.db, eventId), findWaitingRoom(deps.db, eventId)]);
  if (!event || !room) throw errors.notFound(event ? 'waiting room' : 'event');
  let state = await deps.rooms.store.advance(eventId);
  if (!state) {
    await deps.rooms.settings.reload(eventId);
    state = await deps.rooms.store.advance(eventId);
  }
  return {
    eventId,
    enabled: room.enabled,
    opensAt: room.opensAt.toISOString(),
    onSaleAt: event.onSaleAt.toISOString(),
    admissionRatePerMinute: room.admissionRatePerMinute,
    maxActive: room.maxActive,
    admissionTtlSeconds: room.admissionTtlSeconds,
    now: {
      waiting: state?.waiting ?? 0,
      admitted: state?.live ?? 0,
      joined: state?.totals.joined ?? 0,
      reachedTotal: state?.totals.reached ?? 0,
      expiredTotal: state?.totals.expired ?? 0,
    },
  };
}
