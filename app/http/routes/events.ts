import type Router from '@koa/router';
import type { Deps } from '../../deps.ts';
import { getEvent, listEvents, seatMap } from '../../services/browse-events.ts';
import type { AppState } from '../context.ts';
import { parseId } from '../validate.ts';

export function eventRoutes(router: Router<AppState>, deps: Deps): void {
  router.get('/api/events', async (ctx) => {
    ctx.body = { events: await listEvents(deps) };
  });

  router.get('/api/events/:eventId', async (ctx) => {
    ctx.body = { event: await getEvent(deps, parseId(ctx.params.eventId, 'event')) };
  });

  router.get('/api/events/:eventId/seats', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { seats: await seatMap(deps, parseId(ctx.params.eventId, 'event')) };
  });
}
