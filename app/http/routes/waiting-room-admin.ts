import type Router from '@koa/router';
import type { Deps } from '../../deps.ts';
import { describeWaitingRoom, setWaitingRoom } from '../../services/configure-waiting-room.ts';
import type { AppState } from '../context.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { requireOrganizer, requireUser } from '../middleware/require-user.ts';
import { waitingRoomSettings } from '../schemas.ts';
import { parse, parseId } from '../validate.ts';

/** The organizer's controls of an event's waiting room: its settings, and the queue as it is now. */
export function waitingRoomAdminRoutes(router: Router<AppState>, deps: Deps): void {
  const organizer = [requireUser(deps), requireOrganizer()];

  router.put('/api/admin/events/:eventId/waiting-room', ...organizer, jsonBody(), async (ctx) => {
    const eventId = parseId(ctx.params.eventId, 'event');
    const settings = parse(waitingRoomSettings, ctx.state.body);
    ctx.body = { waitingRoom: await setWaitingRoom(deps, eventId, settings) };
  });

  router.get('/api/admin/events/:eventId/waiting-room', ...organizer, async (ctx) => {
    ctx.body = { waitingRoom: await describeWaitingRoom(deps, parseId(ctx.params.eventId, 'event')) };
  });
}
