import type Router from '@koa/router';
import type { Deps } from '../../deps.ts';
import { getEvent, listEvents } from '../../services/browse-events.ts';
import { eventWaitingRoom } from '../../services/queue-place.ts';
import { seatMapBody } from '../../services/seat-map-body.ts';
import type { AppState } from '../context.ts';
import { readAfter } from '../middleware/read-your-writes.ts';
import { requireAdmission } from '../middleware/require-admission.ts';
import { idOrNull, parseId } from '../validate.ts';

export function eventRoutes(router: Router<AppState>, deps: Deps): void {
  router.get('/api/events', async (ctx) => {
    ctx.body = { events: await listEvents(deps, readAfter(ctx)) };
  });

  router.get('/api/events/:eventId', async (ctx) => {
    const eventId = parseId(ctx.params.eventId, 'event');
    const [event, waitingRoom] = await Promise.all([getEvent(deps, eventId, readAfter(ctx)), eventWaitingRoom(deps, eventId)]);
    // The page caps its seat selection with this (held + bought seats per buyer), and queues first when there is a room.
    ctx.body = { event: { ...event, maxSeatsPerUser: deps.config.MAX_SEATS_PER_USER, waitingRoom } };
  });

  const admitted = requireAdmission(deps, (ctx) => idOrNull(ctx.params.eventId));
  router.get('/api/events/:eventId/seats', admitted, async (ctx) => {
    const { json, etag } = await seatMapBody(deps, parseId(ctx.params.eventId, 'event'));
    // Never served from a cache without asking: the page polls with If-None-Match, and an unchanged map
    // costs a 304 with no body.
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.set('ETag', etag);
    if (ifNoneMatchHits(ctx.get('If-None-Match'), etag)) ctx.status = 304;
    else {
      ctx.type = 'application/json';
      ctx.body = json;
    }
  });
}

/**
 * RFC 9110 weak comparison. Not Koa's `ctx.fresh`: it ignores If-None-Match when the request says
 * `Cache-Control: no-cache`, which browsers add to every fetch that sets its own If-None-Match.
 */
function ifNoneMatchHits(header: string, etag: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((tag) => opaque(tag) === opaque(etag));
}
