import type { Deps } from '../deps.ts';
import { newHoldId } from '../domain/hold-id.ts';
import { errors } from '../errors.ts';
import { ensureInventoryLoaded } from './inventory.ts';

export interface Hold {
  id: string;
  eventId: number;
  seatIds: number[];
  expiresAt: string;
}

/** A waiting-room admission the hold path checks and extends in its own script (see http/middleware/require-admission.ts). */
export interface AdmissionUse {
  ttlMs: number;
  /** Told when the admission now lapses (the hold script extended it). */
  extendedTo(lapsesAt: number): void;
}

/** Counted in process (metrics/business-metrics.ts): a Map update, nothing sent on the hot path. */
function refused(deps: Deps, reason: string): void {
  deps.metrics.count('HoldsRefused', 1, { Reason: reason });
}

/**
 * Holds all requested seats for the buyer, or none: one atomic Redis script decides. With `admission` (the event's
 * waiting room gates it), the same script requires a live admission and keeps it alive: no extra round trip.
 */
export async function holdSeats(
  deps: Deps,
  input: { eventId: number; userId: number; seatIds: number[]; admission?: AdmissionUse },
): Promise<Hold> {
  const layout = await deps.catalog.get(input.eventId);
  if (!layout) throw errors.notFound('event');
  if (layout.onSaleAt.getTime() > Date.now()) {
    refused(deps, 'not_on_sale');
    throw errors.notOnSale(layout.onSaleAt.toISOString());
  }
  if (!input.seatIds.every((seatId) => layout.seatById.has(seatId))) {
    refused(deps, 'unknown_seats');
    throw errors.unknownSeats(input.seatIds.filter((seatId) => !layout.seatById.has(seatId)));
  }

  const request = {
    eventId: input.eventId,
    holdId: newHoldId(input.eventId),
    userId: input.userId,
    seatIds: input.seatIds,
    ttlMs: deps.config.HOLD_TTL_SECONDS * 1000,
    maxSeatsPerUser: deps.config.MAX_SEATS_PER_USER,
    ...(input.admission ? { admissionTtlMs: input.admission.ttlMs } : {}),
  };
  let result = await deps.seats.holdSeats(request);
  if (result.kind === 'not_loaded') {
    await ensureInventoryLoaded(deps, input.eventId);
    result = await deps.seats.holdSeats(request);
  }
  if (result.kind !== 'not_loaded' && result.kind !== 'queue_required' && result.admissionLapsesAt > 0) {
    input.admission?.extendedTo(result.admissionLapsesAt);
  }
  switch (result.kind) {
    case 'queue_required':
      refused(deps, 'queue_required');
      throw errors.queueRequired(input.eventId);
    case 'ok':
      deps.metrics.count('HoldsGranted');
      return { id: request.holdId, eventId: input.eventId, seatIds: input.seatIds, expiresAt: new Date(result.expiresAt).toISOString() };
    case 'taken':
      refused(deps, 'seats_unavailable');
      throw errors.seatsUnavailable(result.seatIds);
    case 'limit':
      refused(deps, 'seat_limit_exceeded');
      throw errors.seatLimitExceeded(deps.config.MAX_SEATS_PER_USER, result.heldOrBought);
    case 'not_loaded':
      throw errors.serviceUnavailable('Seat inventory is being rebuilt; retry shortly.');
  }
}
