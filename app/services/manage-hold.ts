import type { Deps } from '../deps.ts';
import { eventOfHoldId } from '../domain/hold-id.ts';
import { errors } from '../errors.ts';

export type HoldStatus = 'active' | 'purchasing' | 'purchased' | 'released' | 'expired';

export interface HoldView {
  id: string;
  eventId: number;
  seatIds: number[];
  expiresAt: string;
  status: HoldStatus;
  orderId: number | null;
}

/** A buyer's own hold; anyone else's, or one never issued, is not found. */
export async function getHold(deps: Deps, holdId: string, userId: number): Promise<HoldView> {
  const eventId = eventOfHoldId(holdId);
  const hold = eventId === null ? null : await deps.seats.getHold(eventId, holdId);
  if (!hold || hold.userId !== userId) throw errors.notFound('hold');
  const expired = hold.state === 'active' && hold.expiresAt <= Date.now();
  return {
    id: hold.id,
    eventId: hold.eventId,
    seatIds: hold.seatIds,
    expiresAt: new Date(hold.expiresAt).toISOString(),
    status: expired ? 'expired' : hold.state,
    orderId: hold.orderId,
  };
}

/** Gives the seats back at once. Releasing an expired or released hold again is a no-op. */
export async function releaseHold(deps: Deps, holdId: string, userId: number): Promise<void> {
  const eventId = eventOfHoldId(holdId);
  if (eventId === null) throw errors.notFound('hold');
  const result = await deps.seats.releaseHold(eventId, holdId, userId);
  if (result === 'missing') throw errors.notFound('hold');
  if (result === 'purchased') throw errors.holdPurchased();
  if (result === 'in_progress') throw errors.requestInProgress();
}
