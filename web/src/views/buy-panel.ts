import { h } from '../dom.ts';
import { formatCountdown, formatPrice, seatName } from '../format.ts';
import type { Seat } from '../types.ts';

/** The panel's contents for a buyer choosing seats. */
export function selectionView(options: {
  selected: Seat[];
  limit: number;
  loggedIn: boolean;
  onHold: () => void;
}): (HTMLElement | null)[] {
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
  }, !loggedIn ? 'Log in to hold seats' : count === 0 ? 'Hold seats' : `Hold ${count} seat${count === 1 ? '' : 's'}`);
  return [
    h('h2', { id: 'panel-title', tabindex: '-1' }, 'Your seats'),
    count === 0
      ? h('p', { id: 'selection-hint' }, limit > 0 ? `Pick up to ${limit} seat${limit === 1 ? '' : 's'} on the map.` : 'You already have as many seats as one buyer may get for this event.')
      : h('ul', { class: 'seat-list', 'aria-label': 'Selected seats' },
          ...selected.map((seat) => h('li', {}, h('span', {}, seatName(seat)), h('span', {}, formatPrice(seat.priceCents))))),
    count > 0 ? h('p', { class: 'total' }, `${count} of at most ${limit} seats · Total ${formatPrice(total)}`) : null,
    h('div', { class: 'actions' }, button),
  ];
}

/** The panel's contents while the buyer holds seats: a countdown, Buy and Release. */
export function holdView(options: {
  seats: Seat[];
  msLeft: number;
  purchasing: boolean;
  onBuy: () => void;
  onRelease: () => void;
}): { elements: HTMLElement[]; timer: HTMLElement } {
  const { seats, purchasing } = options;
  const total = seats.reduce((sum, seat) => sum + seat.priceCents, 0);
  const timer = h('span', { class: 'countdown', role: 'timer', 'aria-atomic': 'true', id: 'countdown' }, formatCountdown(options.msLeft));
  return {
    timer,
    elements: [
      h('h2', { id: 'panel-title', tabindex: '-1' }, 'Seats held for you'),
      h('p', { class: 'countdown-line' }, 'Time left to buy: ', timer),
      h('ul', { class: 'seat-list', 'aria-label': 'Held seats' },
        ...seats.map((seat) => h('li', {}, h('span', {}, seatName(seat)), h('span', {}, formatPrice(seat.priceCents))))),
      h('p', { class: 'total' }, `Total ${formatPrice(total)}`),
      h('div', { class: 'actions' },
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
      ),
    ],
  };
}
