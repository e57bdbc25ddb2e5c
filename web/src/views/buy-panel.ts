import { h } from '../dom.ts';
import { formatCountdown, formatPrice, seatName } from '../format.ts';
import type { Seat } from '../types.ts';

/** The buyer's panel in three parts, so a phone can show the summary and the main action alone. */
export interface PanelView {
  /** Heading, seats and total. */
  details: HTMLElement[];
  /** The buttons; the first is the main action. */
  actions: HTMLElement[];
  /** One line for the phone's bar: "2 seats · $240.00". */
  summary: (string | HTMLElement)[];
}

const seatCount = (count: number) => `${count} seat${count === 1 ? '' : 's'}`;

const seatList = (seats: Seat[], label: string) =>
  h('ul', { class: 'seat-list', 'aria-label': label },
    ...seats.map((seat) => h('li', {}, h('span', {}, seatName(seat)), h('span', {}, formatPrice(seat.priceCents)))));

/** The panel for a buyer choosing seats. */
export function selectionView(options: {
  selected: Seat[];
  limit: number;
  loggedIn: boolean;
  onHold: () => void;
}): PanelView {
  const { selected, limit, loggedIn } = options;
  const total = selected.reduce((sum, seat) => sum + seat.priceCents, 0);
  const count = selected.length;
  const button = h('button', {
    type: 'button',
    class: 'button button-primary',
    id: 'hold-button',
    // Logged out, the button leads to the login page (the selection is kept for after).
    'aria-disabled': loggedIn && count === 0 ? 'true' : null,
    'aria-describedby': count === 0 ? 'selection-hint' : null,
    onclick: options.onHold,
  }, !loggedIn ? 'Log in to hold seats' : count === 0 ? 'Hold seats' : `Hold ${seatCount(count)}`);
  const hint = limit > 0 ? `Pick up to ${seatCount(limit)} on the map.` : 'You already have as many seats as one buyer may get for this event.';
  return {
    details: [
      h('h2', { id: 'panel-title', tabindex: '-1' }, 'Your seats'),
      count === 0 ? h('p', { id: 'selection-hint' }, hint) : seatList(selected, 'Selected seats'),
      ...(count > 0 ? [h('p', { class: 'total' }, `${count} of at most ${limit} seats · Total ${formatPrice(total)}`)] : []),
    ],
    actions: [button],
    summary: count === 0 ? [limit > 0 ? 'No seats picked yet' : 'No more seats for you here'] : [`${seatCount(count)} · ${formatPrice(total)}`],
  };
}

/** The panel while the buyer holds seats: a countdown, Buy and Release. */
export function holdView(options: {
  seats: Seat[];
  msLeft: number;
  purchasing: boolean;
  onBuy: () => void;
  onRelease: () => void;
}): PanelView & { timers: HTMLElement[] } {
  const { seats, purchasing } = options;
  const total = seats.reduce((sum, seat) => sum + seat.priceCents, 0);
  const timer = h('span', { class: 'countdown', role: 'timer', 'aria-atomic': 'true', id: 'countdown' }, formatCountdown(options.msLeft));
  // The bar's copy of the time is plain text: the panel's timer is the one screen readers follow.
  const barTimer = h('span', { class: 'bar-time' }, formatCountdown(options.msLeft));
  return {
    timers: [timer, barTimer],
    details: [
      h('h2', { id: 'panel-title', tabindex: '-1' }, 'Seats held for you'),
      h('p', { class: 'countdown-line' }, 'Time left to buy: ', timer),
      seatList(seats, 'Held seats'),
      h('p', { class: 'total' }, `Total ${formatPrice(total)}`),
    ],
    actions: [
      h('button', {
        type: 'button',
        class: 'button button-primary',
        id: 'buy-button',
        'aria-disabled': purchasing ? 'true' : null,
        onclick: options.onBuy,
      }, purchasing ? 'Buying…' : `Buy ${seats.length} ticket${seats.length === 1 ? '' : 's'} for ${formatPrice(total)}`),
      h('button', {
        type: 'button',
        class: 'button',
        id: 'release-button',
        'aria-disabled': purchasing ? 'true' : null,
        onclick: options.onRelease,
      }, 'Release seats'),
    ],
    summary: [`${seatCount(seats.length)} · `, barTimer, ` left · ${formatPrice(total)}`],
  };
}
