import type Router from '@koa/router';
import type { Deps } from '../../deps.ts';
import { errors } from '../../errors.ts';
import { eventOfHoldId } from '../../domain/hold-id.ts';
import { holdSeats } from '../../services/hold-seats.ts';
import { getHold, releaseHold } from '../../services/manage-hold.ts';
import { purchaseHold } from '../../services/purchase-hold.ts';
import type { AppState } from '../context.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { limitedBy } from '../middleware/rate-limit.ts';
import type { HoldRateLimits } from '../hold-rate-limits.ts';
import { recordsWrite } from '../middleware/read-your-writes.ts';
import { requireAdmission } from '../middleware/require-admission.ts';
import { requireUser } from '../middleware/require-user.ts';
import { holdRequestSeatIds } from '../hold-request.ts';
import { idempotencyKey } from '../schemas.ts';
import { idOrNull, parseId } from '../validate.ts';

/** The hold routes; `limits` are the hold limits this app's hold fast path (hold-fast-path.ts) shares. */
export function holdRoutes(router: Router<AppState>, deps: Deps, limits: HoldRateLimits): void {
  const perUser = limitedBy(limits.perUser, (ctx) => ctx.state.user?.id);
  const perIp = limitedBy(limits.perIp, (ctx) => ctx.ip);
  const signedIn = requireUser(deps, { fromSession: true });
  // While the event's waiting room is open: an admission, checked and kept alive inside the hold script itself.
  const admittedToHold = requireAdmission(deps, (ctx) => idOrNull(ctx.params.eventId), { inScript: true });
  const admittedToBuy = requireAdmission(deps, (ctx) => eventOfHoldId(ctx.params.holdId ?? ''));

  // The common case of this route is answered by http/hold-fast-path.ts from the same parts: keep the two in step.
  router.post('/api/events/:eventId/holds', perIp, signedIn, perUser, admittedToHold, jsonBody(), async (ctx) => {
    const eventId = parseId(ctx.params.eventId, 'event');
    const seatIds = holdRequestSeatIds(ctx.state.body);
    const { admission } = ctx.state;
    const hold = await holdSeats(deps, {
      eventId,
      userId: ctx.state.user!.id,
      seatIds,
      ...(admission ? { admission: { ttlMs: admission.ttlMs, extendedTo: (lapsesAt: number) => (admission.extendedTo = lapsesAt) } } : {}),
    });
    ctx.status = 201;
    ctx.body = { hold };
  });

  router.get('/api/holds/:holdId', signedIn, async (ctx) => {
    ctx.body = { hold: await getHold(deps, ctx.params.holdId!, ctx.state.user!.id) };
  });

  router.delete('/api/holds/:holdId', signedIn, async (ctx) => {
    await releaseHold(deps, ctx.params.holdId!, ctx.state.user!.id);
    ctx.status = 204;
  });

  router.post('/api/holds/:holdId/purchase', signedIn, admittedToBuy, recordsWrite(deps), async (ctx) => {
    const key = idempotencyKey.safeParse(ctx.get('Idempotency-Key'));
    if (!key.success) throw errors.idempotencyKeyRequired();
    const { order, replayed } = await purchaseHold(deps, {
      holdId: ctx.params.holdId!,
      userId: ctx.state.user!.id,
      idempotencyKey: key.data,
    });
    if (replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = 201;
    ctx.body = { order };
  });
}
