import type Router from '@koa/router';
import type { Deps } from '../../deps.ts';
import { errors } from '../../errors.ts';
import { createEvent, posterSizeLimit, uploadPoster } from '../../services/organize-events.ts';
import type { AppState } from '../context.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { recordsWrite } from '../middleware/read-your-writes.ts';
import { requireOrganizer, requireUser } from '../middleware/require-user.ts';
import { createEventBody } from '../schemas.ts';
import { parse, parseId } from '../validate.ts';

export function adminRoutes(router: Router<AppState>, deps: Deps): void {
  const organizer = [requireUser(deps), requireOrganizer(), recordsWrite(deps)];

  router.post('/api/admin/events', ...organizer, jsonBody(), async (ctx) => {
    const input = parse(createEventBody, ctx.state.body);
    const event = await createEvent(deps, {
      ...input,
      startsAt: new Date(input.startsAt),
      onSaleAt: new Date(input.onSaleAt),
    });
    ctx.status = 201;
    ctx.body = { event };
  });

  router.put('/api/admin/events/:eventId/poster', ...organizer, async (ctx) => {
    const eventId = parseId(ctx.params.eventId, 'event');
    if (!ctx.is('image/*')) throw errors.unsupportedMediaType('an image (image/jpeg, image/png, ...)');
    if (Number(ctx.get('Content-Length')) > posterSizeLimit) throw errors.payloadTooLarge(posterSizeLimit);
    const event = await uploadPoster(deps, eventId, ctx.req);
    ctx.body = { posterUrl: event.posterUrl, event };
  });
}
