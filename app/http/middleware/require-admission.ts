import type { Middleware } from 'koa';
import { roomActive } from '../../../shared/waiting-room.ts';
import type { Deps } from '../../deps.ts';
import { errors } from '../../errors.ts';
import { roomRecord } from '../../services/queue-place.ts';
import type { AdmissionState, AppContext, AppState } from '../context.ts';
import { readAdmissionCookie, writeAdmissionCookie } from '../queue-cookies.ts';
import { sessionUser } from './require-user.ts';

/** How stale an admission may be before a request refreshes it in Redis: a quarter of its life, at most 15 s. */
const refreshAfterMs = (ttlMs: number) => Math.min(15_000, Math.max(1_000, ttlMs / 4));

/**
 * While the event's waiting room is open, the seat map, holds and purchases answer 403 `queue_required` unless the
 * buyer shows an admission signed for this event and this account. The check is an HMAC in process (the room's
 * settings are cached for a second). Using the admission keeps it alive: the hold route does it inside its own
 * hold script (`inScript`); other routes refresh it in Redis when it was never used or is a quarter of its life
 * old, concurrently with the route's own work, and send the renewed cookie with the answer.
 */
export function requireAdmission(
  deps: Deps,
  eventIdOf: (ctx: AppContext) => number | null,
  options: { inScript?: boolean } = {},
): Middleware<AppState> {
  return async (ctx, next) => {
    const eventId = eventIdOf(ctx);
    if (eventId === null) return next();
    const room = await deps.rooms.settings.get(eventId);
    const now = Date.now();
    if (!room || !roomActive(roomRecord(room, 0, 0), now)) return next();
    const user = ctx.state.user ?? (await sessionUser(deps, ctx, { fromSession: true }));
    const admission = deps.rooms.tokens.readAdmission(readAdmissionCookie(ctx, eventId), eventId, now);
    if (!user || !admission || admission.userId !== user.id) throw errors.queueRequired(eventId);
    const ttlMs = room.admissionTtlSeconds * 1000;
    const state: AdmissionState = { eventId, userId: user.id, ttlMs, lapsesAt: admission.expiresAt };
    ctx.state.admission = state;
    const stale = !admission.used || now - (admission.expiresAt - ttlMs) >= refreshAfterMs(ttlMs);
    const refresh = !options.inScript && stale
      ? deps.rooms.store.touch(eventId, user.id, ttlMs).then((lapsesAt) => {
          if (lapsesAt) state.extendedTo = lapsesAt;
        }, () => undefined)
      : undefined;
    try {
      await next();
    } finally {
      await refresh;
      if (state.extendedTo && state.extendedTo > admission.expiresAt) {
        const token = deps.rooms.tokens.admission({ eventId, userId: user.id, expiresAt: state.extendedTo, used: true });
        writeAdmissionCookie(ctx, eventId, token, state.extendedTo);
      }
    }
  };
}
