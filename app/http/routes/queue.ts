import type Router from '@koa/router';
import type { Deps } from '../../deps.ts';
import { joinQueue, queueStatus, type QueueAnswer } from '../../services/queue-place.ts';
import type { AppContext, AppState } from '../context.ts';
import { requireUser } from '../middleware/require-user.ts';
import { readPlaceCookie, writeAdmissionCookie, writePlaceCookie } from '../queue-cookies.ts';
import { parseId } from '../validate.ts';

/** The waiting room's queue: join (idempotent: one place per account and event) and poll. */
export function queueRoutes(router: Router<AppState>, deps: Deps): void {
  const signedIn = requireUser(deps, { fromSession: true });

  router.post('/api/events/:eventId/queue', signedIn, async (ctx) => {
    const eventId = parseId(ctx.params.eventId, 'event');
    const answer = await joinQueue(deps, { eventId, userId: ctx.state.user!.id, shownPlace: readPlaceCookie(ctx, eventId) });
    present(ctx, eventId, answer);
  });

  router.get('/api/events/:eventId/queue', signedIn, async (ctx) => {
    const eventId = parseId(ctx.params.eventId, 'event');
    present(ctx, eventId, await queueStatus(deps, { eventId, userId: ctx.state.user!.id }));
  });
}

function present(ctx: AppContext, eventId: number, answer: QueueAnswer): void {
  if (answer.place) writePlaceCookie(ctx, eventId, answer.place.token, answer.place.expiresAt);
  if (answer.admission) writeAdmissionCookie(ctx, eventId, answer.admission.token, answer.admission.expiresAt);
  ctx.set('Retry-After', String(answer.view.pollAfterSeconds));
  ctx.body = { queue: answer.view };
}
