import { h } from '../dom.ts';
import type { SeatLook } from './seat-map.ts';

const items: [SeatLook, string][] = [
  ['available', 'Available'],
  ['selected', 'Selected'],
  ['mine', 'Held for you'],
  ['held', 'Held by others'],
  ['sold', 'Sold'],
];

/** What each look of a seat means (the swatches are the seat styles themselves). */
export function seatLegend(): HTMLElement {
  return h('ul', { class: 'legend', 'aria-label': 'Legend' },
    ...items.map(([look, label]) => h('li', {}, h('span', { class: 'seat seat-swatch', 'data-look': look, 'aria-hidden': 'true' }), label)));
}
