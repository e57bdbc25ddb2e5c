import { api, ApiError, asApiError, fetchSeatMap } from '../api.ts';
import { announce } from '../announce.ts';
import { h, messageBox, showMessage } from '../dom.ts';
import { humanMessage } from '../error-messages.ts';
import { formatDate, listOfSeats, spokenDuration } from '../format.ts';
import type { Cleanup } from '../router.ts';
import { authHref } from '../return-path.ts';
import { navigate } from '../router.ts';
import { SeatPoller } from '../seat-poller.ts';
import { session } from '../session.ts';
import type { EventSummary, Seat, SeatStatus } from '../types.ts';
import { holdView, selectionView, type PanelView } from './buy-panel.ts';
import { queueScreen, roomOpen } from './queue-screen.ts';
import { PanelBar } from './panel-bar.ts';
import { errorLinks, HoldFlow, type HoldHost } from './hold-flow.ts';
import { seatLegend } from './seat-legend.ts';
import { SeatMap, type SeatLook } from './seat-map.ts';

const defaultSeatLimit = 8;
/** Seats picked before logging in, picked again after. */
const pendingSelectionKey = (eventId: number) => `ticketkit.selection.${eventId}`;

/**
 * An event: while its waiting room is open, the queue screen first (it moves on by itself when the buyer is
 * admitted); then its live seat map, the buyer's selection, hold with countdown, and purchase.
 */
export async function eventPage(main: HTMLElement, params: Record<string, string>): Promise<Cleanup | void> {
  const eventId = Number(params.eventId);
  let event: EventSummary;
  try {
    event = await api.event(eventId);
  } catch (error) {
    return showLoadError(main, error);
  }
  if (!roomOpen(event)) return seatsPage(main, event);
  let stopped = false;
  let seats: Cleanup | void;
  const stopQueue = queueScreen(main, event, () => {
    main.replaceChildren();
    void seatsPage(main, event).then((cleanup) => {
      if (stopped) cleanup?.();
      else seats = cleanup;
      const heading = main.querySelector('h1');
      heading?.setAttribute('tabindex', '-1');
      heading?.focus();
    });
  });
  return () => {
    stopped = true;
    stopQueue();
    seats?.();
  };
}

function showLoadError(main: HTMLElement, error: unknown): void {
  main.append(h('h1', {}, 'Event'), messageBox('error', humanMessage(asApiError(error).body)), h('p', {}, h('a', { href: '/', 'data-link': true }, 'Back to all events')));
}

/** An admission lapsed or the room opened meanwhile: the event page again, which queues first. */
function backToQueue(eventId: number): void {
  navigate(`/events/${eventId}`, { replace: true });
}

async function seatsPage(main: HTMLElement, event: EventSummary): Promise<Cleanup | void> {
  const eventId = event.id;
  let initial: { seats: Seat[] | null; etag: string | null };
  let bought = 0;
  try {
    initial = await fetchSeatMap(eventId, null);
    if (session.user) bought = (await api.orders()).filter((order) => order.eventId === eventId).reduce((n, order) => n + order.tickets.length, 0);
  } catch (error) {
    if (asApiError(error).code === 'queue_required') return backToQueue(eventId);
    return showLoadError(main, error);
  }
  const page = new EventPage(main, event, initial.seats ?? [], Math.max(0, (event.maxSeatsPerUser ?? defaultSeatLimit) - bought));
  await page.flow.restore();
  page.poller.start(initial.etag);
  return () => page.stop();
}

class EventPage implements HoldHost {
  readonly poller: SeatPoller;
  readonly flow: HoldFlow;
  readonly eventId: number;
  private readonly map: SeatMap;
  private readonly panel = h('aside', { class: 'panel', 'aria-labelledby': 'panel-title' });
  private readonly bar = new PanelBar(this.panel, 'panel-details');
  private readonly details = h('div', { class: 'panel-details', id: 'panel-details' });
  private readonly actions = h('div', { class: 'actions' });
  private readonly messages = h('div', { class: 'message-slot' });
  private readonly availability = h('p', { class: 'availability' });
  private readonly selected = new Set<number>();

  constructor(
    main: HTMLElement,
    event: EventSummary,
    seats: Seat[],
    private limit: number,
  ) {
    this.eventId = event.id;
    this.map = new SeatMap(seats, (seat) => this.pick(seat));
    this.flow = new HoldFlow(this);
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
          seatLegend(),
          this.map.element,
        ),
        this.panel,
      ),
    );
    this.panel.append(this.bar.element, this.messages, h('div', { class: 'panel-body' }, this.details, this.actions));
    const firstFree = seats.find((seat) => seat.status === 'available');
    if (firstFree) this.map.setTabStop(firstFree.id);
    this.restorePendingSelection();
    this.changed();
  }

  stop(): void {
    this.poller.stop();
    this.flow.stop();
  }

  private restorePendingSelection(): void {
    const pending = sessionStorage.getItem(pendingSelectionKey(this.eventId));
    sessionStorage.removeItem(pendingSelectionKey(this.eventId));
    if (!pending || !session.user) return;
    for (const id of JSON.parse(pending) as number[]) {
      if (this.map.seat(id)?.status === 'available' && this.selected.size < this.limit) this.selected.add(id);
    }
  }

  private lookOf(seat: Seat): SeatLook {
    if (this.flow.isMine(seat.id)) return 'mine';
    if (seat.status !== 'available') return seat.status;
    return this.selected.has(seat.id) ? 'selected' : 'available';
  }

  changed(panel = true): void {
    this.map.update((seat) => this.lookOf(seat));
    const seats = this.map.allSeats;
    const free = seats.filter((seat) => seat.status === 'available').length;
    this.availability.textContent = `${free} of ${seats.length} seats available`;
    if (panel) this.drawPanel();
  }

  markSeats(seatIds: number[], status: SeatStatus): void {
    for (const id of seatIds) this.map.setStatus(id, status);
  }

  refreshSoon(): void {
    this.poller.soon();
  }

  /** Redraws the panel; the control that had focus (found by id) keeps it. */
  private drawPanel(): void {
    const focusedId = this.panel.contains(document.activeElement) ? document.activeElement?.id : undefined;
    const seatsOf = (ids: Iterable<number>) => [...ids].map((id) => this.map.seat(id)).filter((seat): seat is Seat => !!seat);
    const { held, purchasing, countdown } = this.flow;
    let view: PanelView;
    if (held) {
      const holding = holdView({ seats: seatsOf(held.hold.seatIds), msLeft: this.flow.msLeft(), purchasing, onBuy: () => void this.flow.buy(), onRelease: () => void this.flow.release() });
      countdown.timers = holding.timers;
      view = holding;
    } else {
      countdown.timers = [];
      view = selectionView({ selected: seatsOf(this.selected), limit: this.limit, loggedIn: !!session.user, onHold: () => void this.hold() });
    }
    this.details.replaceChildren(...view.details);
    this.actions.replaceChildren(...view.actions);
    this.bar.show(view.summary);
    if (focusedId) document.getElementById(focusedId)?.focus();
  }

  focusPanel(): void {
    this.bar.focusStart();
  }

  say(kind: 'error' | 'info' | 'success', text: string, ...extra: HTMLElement[]): void {
    showMessage(this.messages, messageBox(kind, text, ...extra));
  }

  showError(error: ApiError): void {
    this.say('error', humanMessage(error.body, { seatNames: this.seatNames, retryAfterSeconds: error.retryAfterSeconds }), ...errorLinks(error, this.eventId));
  }

  private seatNames = (ids: number[]): string =>
    listOfSeats(ids.map((id) => this.map.seat(id)).filter((seat): seat is Seat => !!seat));

  private pick(seat: Seat): void {
    const look = this.lookOf(seat);
    if (this.flow.held) return announce('Your seats are held. Buy them or release them to pick other seats.');
    if (look === 'held' || look === 'sold') return announce(`${this.seatNames([seat.id])} is ${look === 'sold' ? 'sold' : 'held by another buyer'}.`);
    if (this.selected.has(seat.id)) this.selected.delete(seat.id);
    else if (this.selected.size >= this.limit) return this.say('info', `You can pick at most ${this.limit} seat${this.limit === 1 ? '' : 's'} for this event.`);
    else this.selected.add(seat.id);
    showMessage(this.messages, null);
    this.changed();
  }

  private async hold(): Promise<void> {
    if (!session.user) {
      sessionStorage.setItem(pendingSelectionKey(this.eventId), JSON.stringify([...this.selected]));
      return navigate(authHref('/login', `/events/${this.eventId}`));
    }
    if (this.selected.size === 0) return announce('Pick seats on the map first.');
    try {
      const hold = await api.hold(this.eventId, [...this.selected]);
      this.selected.clear();
      showMessage(this.messages, null);
      this.flow.start({ hold });
      this.focusPanel();
      announce(`${hold.seatIds.length} seats held for you for ${spokenDuration(this.flow.msLeft())}.`);
    } catch (error) {
      this.onHoldError(asApiError(error));
    }
  }

  private onHoldError(error: ApiError): void {
    const seatIds = Array.isArray(error.body.details?.seatIds) ? (error.body.details.seatIds as number[]) : [];
    if (error.code === 'seats_unavailable') {
      // Show them taken at once; the next refresh brings the exact statuses.
      this.markSeats(seatIds, 'held');
      this.refreshSoon();
    }
    if (error.code === 'seats_unavailable' || error.code === 'unknown_seats') for (const id of seatIds) this.selected.delete(id);
    if (error.code === 'seat_limit_exceeded') {
      const { limit, alreadyHeldOrBought } = error.body.details as { limit?: number; alreadyHeldOrBought?: number };
      if (typeof limit === 'number') this.limit = Math.max(0, limit - (alreadyHeldOrBought ?? 0));
    }
    if (error.code === 'unauthenticated') session.set(null);
    if (error.code === 'queue_required') return backToQueue(this.eventId);
    this.showError(error);
    this.changed();
  }

  private onFreshSeats(seats: Seat[]): void {
    this.map.applyStatuses(seats);
    const taken = [...this.selected].filter((id) => this.map.seat(id)?.status !== 'available');
    for (const id of taken) this.selected.delete(id);
    if (taken.length) this.showError(new ApiError(409, { code: 'seats_unavailable', message: '', details: { seatIds: taken } }));
    // The panel is redrawn only when the selection changed, so a refresh never takes focus away.
    this.changed(taken.length > 0);
  }

  private onPollError(error: ApiError): void {
    if (error.code === 'queue_required') return backToQueue(this.eventId);
    // Polling failures are quiet unless they last: the map simply stays as it was until the next answer.
    if (error.code === 'rate_limited' || error.code === 'service_unavailable' || error.code === 'network_error') return;
    this.showError(error);
  }
}
