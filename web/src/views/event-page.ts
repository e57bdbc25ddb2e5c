import { api, ApiError, fetchSeatMap } from '../api.ts';
import { announce } from '../announce.ts';
import { h, messageBox, showMessage } from '../dom.ts';
import { humanMessage } from '../error-messages.ts';
import { formatCountdown, formatDate, listOfSeats, spokenDuration } from '../format.ts';
import { holdStore, newIdempotencyKey, type StoredHold } from '../hold-store.ts';
import type { Cleanup } from '../router.ts';
import { navigate } from '../router.ts';
import { SeatPoller } from '../seat-poller.ts';
import { session } from '../session.ts';
import type { EventSummary, Seat } from '../types.ts';
import { holdView, selectionView } from './buy-panel.ts';
import { SeatMap, type SeatLook } from './seat-map.ts';

const defaultSeatLimit = 8;
/** Countdown moments worth saying out loud (seconds left). */
const milestones = [300, 60, 30, 10];

/** An event: its live seat map, the buyer's selection, hold with countdown, and purchase. */
export async function eventPage(main: HTMLElement, params: Record<string, string>): Promise<Cleanup | void> {
  const eventId = Number(params.eventId);
  let event: EventSummary;
  let initial: { seats: Seat[] | null; etag: string | null };
  let bought = 0;
  try {
    [event, initial] = await Promise.all([api.event(eventId), fetchSeatMap(eventId, null)]);
    if (session.user) bought = (await api.orders()).filter((order) => order.eventId === eventId).reduce((n, order) => n + order.tickets.length, 0);
  } catch (error) {
    main.append(h('h1', {}, 'Event'), messageBox('error', humanMessage(toApiError(error).body)), h('p', {}, h('a', { href: '/', 'data-link': true }, 'Back to all events')));
    return;
  }
  const page = new EventPage(main, event, initial.seats ?? [], Math.max(0, (event.maxSeatsPerUser ?? defaultSeatLimit) - bought));
  await page.restoreHold();
  page.poller.start(initial.etag);
  return () => page.stop();
}

function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, { code: 'internal_error', message: String(error) });
}

class EventPage {
  readonly poller: SeatPoller;
  private readonly map: SeatMap;
  private readonly panelBody = h('div', { class: 'panel-body' });
  private readonly messages = h('div', { class: 'message-slot' });
  private readonly availability = h('p', { class: 'availability' });
  private readonly selected = new Set<number>();
  private held: StoredHold | null = null;
  private purchasing = false;
  private countdown: number | undefined;
  private timer: HTMLElement | undefined;
  private spoken = new Set<number>();

  constructor(
    main: HTMLElement,
    private readonly event: EventSummary,
    seats: Seat[],
    private limit: number,
  ) {
    this.map = new SeatMap(seats, (seat) => this.pick(seat));
    this.poller = new SeatPoller(event.id, (fresh) => this.onFreshSeats(fresh), (error) => this.onPollError(error));
    main.append(
      h('div', { class: 'event-head' },
        event.posterUrl ? h('img', { class: 'poster poster-small', src: event.posterUrl, alt: `Poster for ${event.name}`, width: 96, height: 144 }) : null,
        h('div', {},
          h('h1', {}, event.name),
          h('p', {}, `${event.venue} · `, h('time', { datetime: event.startsAt }, formatDate(event.startsAt))),
          this.availability,
        ),
      ),
      h('div', { class: 'event-layout' },
        h('section', { class: 'map-column', 'aria-labelledby': 'seat-map-title' },
          h('h2', { id: 'seat-map-title' }, 'Seat map'),
          h('p', { id: 'seat-map-help', class: 'hint' }, 'Use the arrow keys to move between seats, and Space or Enter to pick one. The map updates by itself.'),
          legend(),
          this.map.element,
        ),
        h('aside', { class: 'panel', 'aria-labelledby': 'panel-title' }, this.messages, this.panelBody),
      ),
    );
    const firstFree = seats.find((seat) => seat.status === 'available');
    if (firstFree) this.map.setTabStop(firstFree.id);
    this.redraw();
  }

  stop(): void {
    this.poller.stop();
    window.clearInterval(this.countdown);
  }

  /** Picks up a hold this tab made before a reload, if the API still has it active. */
  async restoreHold(): Promise<void> {
    const stored = holdStore.get(this.event.id);
    if (!stored || !session.user) return;
    try {
      const hold = await api.getHold(stored.hold.id);
      if (hold.status === 'active' || hold.status === 'purchasing') this.startHolding({ ...stored, hold });
      else {
        holdStore.clear(this.event.id);
        if (hold.status === 'expired') this.say('error', humanMessage({ code: 'hold_expired', message: '' }));
      }
    } catch {
      holdStore.clear(this.event.id);
    }
  }

  private lookOf(seat: Seat): SeatLook {
    if (this.held?.hold.seatIds.includes(seat.id)) return 'mine';
    if (seat.status !== 'available') return seat.status;
    return this.selected.has(seat.id) ? 'selected' : 'available';
  }

  private redraw(panel = true): void {
    this.map.update((seat) => this.lookOf(seat));
    const seats = this.map.allSeats;
    const free = seats.filter((seat) => seat.status === 'available').length;
    this.availability.textContent = `${free} of ${seats.length} seats available`;
    if (panel) this.drawPanel();
  }

  /** Redraws the panel; the control that had focus (found by id) keeps it. */
  private drawPanel(): void {
    const focusedId = this.panelBody.contains(document.activeElement) ? document.activeElement?.id : undefined;
    this.fillPanel();
    if (focusedId) document.getElementById(focusedId)?.focus();
  }

  private fillPanel(): void {
    if (this.held) {
      const seats = this.held.hold.seatIds.map((id) => this.map.seat(id)).filter((seat): seat is Seat => !!seat);
      const view = holdView({ seats, msLeft: this.msLeft(), purchasing: this.purchasing, onBuy: () => void this.buy(), onRelease: () => void this.release() });
      this.timer = view.timer;
      this.panelBody.replaceChildren(...view.elements);
    } else {
      this.timer = undefined;
      const selected = [...this.selected].map((id) => this.map.seat(id)).filter((seat): seat is Seat => !!seat);
      const view = selectionView({ selected, limit: this.limit, loggedIn: !!session.user, onHold: () => void this.hold() });
      this.panelBody.replaceChildren(...view.filter((element): element is HTMLElement => element !== null));
    }
  }

  private say(kind: 'error' | 'info' | 'success', text: string, ...extra: HTMLElement[]): void {
    showMessage(this.messages, messageBox(kind, text, ...extra));
  }

  private seatNames = (ids: number[]): string =>
    listOfSeats(ids.map((id) => this.map.seat(id)).filter((seat): seat is Seat => !!seat));

  private pick(seat: Seat): void {
    const look = this.lookOf(seat);
    if (this.held) {
      announce('Your seats are held. Buy them or release them to pick other seats.');
      return;
    }
    if (look === 'held' || look === 'sold') {
      announce(`${this.seatNames([seat.id])} is ${look === 'sold' ? 'sold' : 'held by another buyer'}.`);
      return;
    }
    if (this.selected.has(seat.id)) this.selected.delete(seat.id);
    else if (this.selected.size >= this.limit) {
      this.say('info', `You can pick at most ${this.limit} seat${this.limit === 1 ? '' : 's'} for this event.`);
      return;
    } else this.selected.add(seat.id);
    showMessage(this.messages, null);
    this.redraw();
  }

  private async hold(): Promise<void> {
    if (!session.user) {
      navigate(`/login?next=${encodeURIComponent(`/events/${this.event.id}`)}`);
      return;
    }
    if (this.selected.size === 0) {
      announce('Pick seats on the map first.');
      return;
    }
    try {
      const hold = await api.hold(this.event.id, [...this.selected]);
      this.selected.clear();
      showMessage(this.messages, null);
      this.startHolding({ hold });
      document.getElementById('panel-title')?.focus();
      announce(`${hold.seatIds.length} seats held for you for ${spokenDuration(this.msLeft())}.`);
    } catch (error) {
      this.onHoldError(toApiError(error));
    }
  }

  private onHoldError(error: ApiError): void {
    const seatIds = Array.isArray(error.body.details?.seatIds) ? (error.body.details.seatIds as number[]) : [];
    if (error.code === 'seats_unavailable') {
      // Show them taken at once; the next refresh brings the exact statuses.
      for (const id of seatIds) {
        this.map.setStatus(id, 'held');
        this.selected.delete(id);
      }
      this.poller.soon();
    }
    if (error.code === 'unknown_seats') for (const id of seatIds) this.selected.delete(id);
    if (error.code === 'seat_limit_exceeded') {
      const { limit, alreadyHeldOrBought } = error.body.details as { limit?: number; alreadyHeldOrBought?: number };
      if (typeof limit === 'number') this.limit = Math.max(0, limit - (alreadyHeldOrBought ?? 0));
    }
    if (error.code === 'unauthenticated') session.set(null);
    this.showError(error);
    this.redraw();
  }

  private showError(error: ApiError): void {
    const extra =
      error.code === 'unauthenticated'
        ? [h('p', {}, h('a', { href: `/login?next=${encodeURIComponent(`/events/${this.event.id}`)}`, 'data-link': true }, 'Log in'))]
        : error.code === 'hold_purchased'
          ? [h('p', {}, h('a', { href: '/tickets', 'data-link': true }, 'See my tickets'))]
          : [];
    this.say('error', humanMessage(error.body, { seatNames: this.seatNames, retryAfterSeconds: error.retryAfterSeconds }), ...extra);
  }

  private startHolding(stored: StoredHold): void {
    this.held = stored;
    holdStore.set(this.event.id, stored);
    for (const id of stored.hold.seatIds) this.map.setStatus(id, 'held');
    this.spoken = new Set(milestones.filter((seconds) => this.msLeft() <= seconds * 1000));
    window.clearInterval(this.countdown);
    this.countdown = window.setInterval(() => this.tick(), 250);
    this.redraw();
  }

  private msLeft(): number {
    return this.held ? Date.parse(this.held.hold.expiresAt) - Date.now() : 0;
  }

  private tick(): void {
    const msLeft = this.msLeft();
    if (msLeft <= 0 && !this.purchasing) {
      this.endHold();
      this.say('error', humanMessage({ code: 'hold_expired', message: '' }));
      this.poller.soon();
      return;
    }
    const text = this.timer ? this.timer.textContent : '';
    const next = formatCountdown(msLeft);
    if (this.timer && text !== next) this.timer.textContent = next;
    for (const seconds of milestones) {
      if (msLeft <= seconds * 1000 && !this.spoken.has(seconds)) {
        this.spoken.add(seconds);
        announce(`${spokenDuration(msLeft)} left to buy your seats.`);
      }
    }
  }

  private endHold(): void {
    window.clearInterval(this.countdown);
    this.held = null;
    this.purchasing = false;
    holdStore.clear(this.event.id);
    this.redraw();
  }

  private async buy(): Promise<void> {
    if (!this.held || this.purchasing) return;
    // One key per attempt, kept across retries of that attempt: a retry replays the same order.
    this.held.idempotencyKey ??= newIdempotencyKey();
    holdStore.set(this.event.id, this.held);
    this.purchasing = true;
    this.drawPanel();
    try {
      const order = await api.purchase(this.held.hold.id, this.held.idempotencyKey);
      this.endHold();
      navigate(`/orders/${order.id}?new=1`);
    } catch (error) {
      this.purchasing = false;
      this.onBuyError(toApiError(error));
    }
  }

  private onBuyError(error: ApiError): void {
    if (['hold_expired', 'hold_purchased', 'seats_unavailable'].includes(error.code)) {
      this.endHold();
      this.poller.soon();
    } else if (this.held && error.code === 'idempotency_key_reused') {
      delete this.held.idempotencyKey;
      holdStore.set(this.event.id, this.held);
    }
    if (error.code === 'unauthenticated') session.set(null);
    this.drawPanel();
    this.showError(error);
  }

  private async release(): Promise<void> {
    if (!this.held || this.purchasing) return;
    try {
      await api.releaseHold(this.held.hold.id);
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.code !== 'not_found' && apiError.code !== 'hold_expired') {
        this.showError(apiError);
        return;
      }
    }
    for (const id of this.held.hold.seatIds) this.map.setStatus(id, 'available');
    this.endHold();
    this.say('info', 'Your seats were released.');
    document.getElementById('panel-title')?.focus();
    this.poller.soon();
  }

  private onFreshSeats(seats: Seat[]): void {
    this.map.applyStatuses(seats);
    const taken = [...this.selected].filter((id) => this.map.seat(id)?.status !== 'available');
    for (const id of taken) this.selected.delete(id);
    if (taken.length) this.say('error', humanMessage({ code: 'seats_unavailable', message: '', details: { seatIds: taken } }, { seatNames: this.seatNames }));
    // The panel is redrawn only when the selection changed, so a refresh never takes focus away.
    this.redraw(taken.length > 0);
  }

  private onPollError(error: ApiError): void {
    // Polling failures are quiet unless they last: the map simply stays as it was until the next answer.
    if (error.code === 'rate_limited' || error.code === 'service_unavailable' || error.code === 'network_error') return;
    this.showError(error);
  }
}

function legend(): HTMLElement {
  const items: [SeatLook, string][] = [
    ['available', 'Available'],
    ['selected', 'Selected'],
    ['mine', 'Held for you'],
    ['held', 'Held by others'],
    ['sold', 'Sold'],
  ];
  return h('ul', { class: 'legend', 'aria-label': 'Legend' },
    ...items.map(([look, label]) => h('li', {}, h('span', { class: 'seat seat-swatch', 'data-look': look, 'aria-hidden': 'true' }), label)));
}
