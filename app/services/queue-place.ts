import { randomInt } from 'node:crypto';
import { estimateAhead, waitingView, type QueueView, type RoomRecord } from '../../shared/waiting-room.ts';
import type { Deps } from '../deps.ts';
import { errors } from '../errors.ts';
import type { PlaceResult, RoomActivity, RoomMirror } from '../infra/redis/room-store.ts';

/** A place token outlives the on-sale by a week: a buyer who comes back keeps the place. */
const placeLifetimeMs = 7 * 24 * 60 * 60 * 1000;

export interface QueueAnswer {
  view: QueueView;
  /** The signed place, for the cookie the edge reads (set whenever the buyer has one). */
  place?: { token: string; expiresAt: number };
  /** The signed admission, for the cookie the inventory routes require (set when admitted). */
  admission?: { token: string; expiresAt: number };
}

/**
 * Takes a place in the event's queue, or answers the one the buyer has: before the on-sale a uniformly random
 * one (drawn from a random score), after it the next one in arrival order; a buyer whose turn lapsed unused
 * gets a new place at the back. `shownPlace` is the buyer's place token: it restores a place Redis lost.
 */
export function joinQueue(deps: Deps, input: { eventId: number; userId: number; shownPlace?: string }): Promise<QueueAnswer> {
  const shown = deps.rooms.tokens.readPlace(input.shownPlace, input.eventId);
  return answerPlace(deps, input.eventId, input.userId, true, shown?.userId === input.userId ? shown.score : undefined);
}

/** The buyer's place: waiting (position, estimated wait), admitted (with the admission), expired, or closed. */
export function queueStatus(deps: Deps, input: { eventId: number; userId: number }): Promise<QueueAnswer> {
  return answerPlace(deps, input.eventId, input.userId, false, undefined);
}

async function answerPlace(deps: Deps, eventId: number, userId: number, join: boolean, shownScore: number | undefined): Promise<QueueAnswer> {
  const room = await deps.rooms.settings.get(eventId);
  if (!room) throw errors.notFound('event');
  const ask = () => deps.rooms.store.place(eventId, userId, { join, randomScore: randomInt(0, 2 ** 48 - 1), shownScore });
  let result = await ask();
  if (result.kind === 'not_loaded') {
    await deps.rooms.settings.reload(eventId);
    result = await ask();
  }
  if (result.kind !== 'not_loaded' && result.kind !== 'closed') count(deps, eventId, result.activity);
  return present(deps, eventId, userId, room, result);
}

function count(deps: Deps, eventId: number, activity: RoomActivity): void {
  if (activity.joined) deps.metrics.count('QueueJoined', activity.joined);
  if (activity.reached) deps.metrics.count('QueueAdmitted', activity.reached);
  if (activity.expired) deps.metrics.count('QueueAdmissionsExpired', activity.expired);
  deps.metrics.gauge('QueueLength', activity.waiting, { EventId: String(eventId) });
}

export function roomRecord(room: RoomMirror, served: number, preQueue: number): RoomRecord {
  return {
    on: room.enabled ? 1 : 0,
    op: room.opensAt,
    os: room.onSaleAt,
    s: served,
    p: preQueue,
    r: room.admissionRatePerMinute,
    t: room.admissionTtlSeconds,
  };
}

function present(deps: Deps, eventId: number, userId: number, room: RoomMirror, result: PlaceResult, now = Date.now()): QueueAnswer {
  const iso = (ms: number) => new Date(ms).toISOString();
  const view: QueueView = {
    status: 'closed',
    eventId,
    position: null,
    estimatedWaitSeconds: null,
    pollAfterSeconds: 30,
    opensAt: room.enabled ? iso(room.opensAt) : null,
    onSaleAt: iso(room.onSaleAt),
    admissionExpiresAt: null,
  };
  switch (result.kind) {
    case 'not_loaded':
    case 'closed':
      if (room.enabled && now < room.opensAt) view.pollAfterSeconds = Math.max(1, Math.min(30, Math.ceil((room.opensAt - now) / 1000)));
      return { view };
    case 'none':
      throw errors.notFound('place in this queue');
  }
  const tokens = deps.rooms.tokens;
  const placeExpiresAt = Math.max(now, room.onSaleAt) + placeLifetimeMs;
  const place = { token: tokens.place({ eventId, userId, score: result.score, expiresAt: placeExpiresAt }), expiresAt: placeExpiresAt };
  if (result.kind === 'waiting') {
    const record = roomRecord(room, result.activity.served, result.activity.preQueue);
    return { view: waitingView(record, eventId, result.score, result.ahead ?? estimateAhead(record, result.score), now), place };
  }
  if (result.kind === 'expired') return { view: { ...view, status: 'expired' }, place };
  const admission = { token: tokens.admission({ eventId, userId, expiresAt: result.lapsesAt, used: result.used }), expiresAt: result.lapsesAt };
  return { view: { ...view, status: 'admitted', pollAfterSeconds: 5, admissionExpiresAt: iso(result.lapsesAt) }, place, admission };
}

/** What the buyer page needs to know of the event's room before asking for seats; null without an enabled room. */
export async function eventWaitingRoom(
  deps: Deps,
  eventId: number,
): Promise<{ opensAt: string; captcha: { scriptUrl: string; apiKey: string } | null } | null> {
  const room = await deps.rooms.settings.get(eventId);
  if (!room?.enabled) return null;
  const { WAF_CAPTCHA_SCRIPT_URL: scriptUrl, WAF_CAPTCHA_API_KEY: apiKey } = deps.config;
  return { opensAt: new Date(room.opensAt).toISOString(), captcha: scriptUrl && apiKey ? { scriptUrl, apiKey } : null };
}
