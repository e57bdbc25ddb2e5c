import { api, ApiError, asApiError } from '../api.ts';
import { h } from '../dom.ts';
import { humanMessage } from '../error-messages.ts';
import { HoldCountdown } from '../hold-countdown.ts';
import { holdStore, newIdempotencyKey, type StoredHold } from '../hold-store.ts';
import { authHref } from '../return-path.ts';
import { navigate } from '../router.ts';
import { session } from '../session.ts';
import type { SeatStatus } from '../types.ts';

/** What the hold flow needs from the event page. */
export interface HoldHost {
  readonly eventId: number;
  markSeats(seatIds: number[], status: SeatStatus): void;
  refreshSoon(): void;
  /** Redraws the map and the panel. */
  changed(): void;
  say(kind: 'error' | 'info', text: string, ...extra: HTMLElement[]): void;
  showError(error: ApiError): void;
  /** Moves focus to the start of the buyer's panel. */
  focusPanel(): void;
}

/**
 * The buyer's current hold on one event: its countdown, Buy (one Idempotency-Key per attempt, kept
 * across retries of that attempt) and Release. "Mine" on the map is this hold's seats.
 */
export class HoldFlow {
  held: StoredHold | null = null;
  purchasing = false;
  readonly countdown = new HoldCountdown(() => this.expired());

  constructor(private readonly host: HoldHost) {}

  isMine(seatId: number): boolean {
    return this.held?.hold.seatIds.includes(seatId) ?? false;
  }

  msLeft(): number {
    return this.held ? Date.parse(this.held.hold.expiresAt) - Date.now() : 0;
  }

  start(stored: StoredHold): void {
    this.held = stored;
    holdStore.set(this.host.eventId, stored);
    this.host.markSeats(stored.hold.seatIds, 'held');
    this.countdown.start(stored.hold.expiresAt);
    this.host.changed();
  }

  /** Picks up a hold this tab made before a reload, if the API still has it active. */
  async restore(): Promise<void> {
    const stored = holdStore.get(this.host.eventId);
    if (!stored || !session.user) return;
    try {
      const hold = await api.getHold(stored.hold.id);
      if (hold.status === 'active' || hold.status === 'purchasing') return this.start({ ...stored, hold });
      holdStore.clear(this.host.eventId);
      if (hold.status === 'expired') this.host.say('error', humanMessage({ code: 'hold_expired', message: '' }));
    } catch {
      holdStore.clear(this.host.eventId);
    }
  }

  stop(): void {
    this.countdown.stop();
  }

  private end(): void {
    this.countdown.stop();
    this.held = null;
    this.purchasing = false;
    holdStore.clear(this.host.eventId);
    this.host.changed();
  }

  private expired(): void {
    // A purchase in flight decides for itself (it may still have been committed in time).
    if (this.purchasing) return;
    this.end();
    this.host.say('error', humanMessage({ code: 'hold_expired', message: '' }));
    this.host.refreshSoon();
  }

  async buy(): Promise<void> {
    if (!this.held || this.purchasing) return;
    this.held.idempotencyKey ??= newIdempotencyKey();
    holdStore.set(this.host.eventId, this.held);
    this.purchasing = true;
    this.host.changed();
    try {
      const order = await api.purchase(this.held.hold.id, this.held.idempotencyKey);
      this.end();
      navigate(`/orders/${order.id}?new=1`);
    } catch (error) {
      this.purchasing = false;
      this.onBuyError(asApiError(error));
    }
  }

  private onBuyError(error: ApiError): void {
    if (['hold_expired', 'hold_purchased', 'seats_unavailable'].includes(error.code)) {
      this.end();
      this.host.refreshSoon();
    } else if (this.held && error.code === 'idempotency_key_reused') {
      // The only answer that ends an attempt without an order: the next Buy is a new attempt.
      delete this.held.idempotencyKey;
      holdStore.set(this.host.eventId, this.held);
    }
    if (error.code === 'unauthenticated') session.set(null);
    if (this.held && this.msLeft() <= 0) this.expired();
    this.host.changed();
    this.host.showError(error);
  }

  async release(): Promise<void> {
    if (!this.held || this.purchasing) return;
    try {
      await api.releaseHold(this.held.hold.id);
    } catch (error) {
      const apiError = asApiError(error);
      if (apiError.code !== 'not_found' && apiError.code !== 'hold_expired') return this.host.showError(apiError);
    }
    this.host.markSeats(this.held.hold.seatIds, 'available');
    this.end();
    this.host.say('info', 'Your seats were released.');
    this.host.focusPanel();
    this.host.refreshSoon();
  }
}

/** Links that go with some errors: log in again, or see the tickets already bought. */
export function errorLinks(error: ApiError, eventId: number): HTMLElement[] {
  if (error.code === 'unauthenticated') {
    return [h('p', {}, h('a', { href: authHref('/login', `/events/${eventId}`), 'data-link': true }, 'Log in'))];
  }
  if (error.code === 'hold_purchased') return [h('p', {}, h('a', { href: '/tickets', 'data-link': true }, 'See my tickets'))];
  return [];
}
