import { api, ApiError, fetchSeatMap } from '../api.ts';
import { h, messageBox } from '../dom.ts';
import { humanMessage } from '../error-messages.ts';
import { formatDate, formatPrice, seatName } from '../format.ts';
import { authHref } from '../return-path.ts';
import { session } from '../session.ts';
import type { EventSummary, Order, Seat } from '../types.ts';

interface EventDetails {
  event: EventSummary;
  seats: Map<number, Seat>;
}

/** Names and seats of the events these orders are for (one request pair per event, not per ticket). */
async function detailsOf(orders: Order[]): Promise<Map<number, EventDetails>> {
  const ids = [...new Set(orders.map((order) => order.eventId))];
  const loaded = await Promise.all(
    ids.map(async (id) => {
      const [event, map] = await Promise.all([api.event(id), fetchSeatMap(id, null)]);
      return [id, { event, seats: new Map((map.seats ?? []).map((seat) => [seat.id, seat])) }] as const;
    }),
  );
  return new Map(loaded);
}

function orderCard(order: Order, details: EventDetails | undefined, headingLevel: 'h2' | 'h3'): HTMLElement {
  const title = details ? details.event.name : `Event ${order.eventId}`;
  return h('article', { class: 'order', 'aria-label': `Order ${order.id}` },
    h(headingLevel, {}, `${title} — order #${order.id}`),
    details ? h('p', {}, `${details.event.venue} · `, h('time', { datetime: details.event.startsAt }, formatDate(details.event.startsAt))) : null,
    h('ul', { class: 'seat-list', 'aria-label': 'Tickets' },
      ...order.tickets.map((ticket) => {
        const seat = details?.seats.get(ticket.seatId);
        return h('li', {}, h('span', {}, seat ? seatName(seat) : `Seat ${ticket.seatId}`), h('span', { class: 'ticket-id' }, `Ticket #${ticket.id}`));
      })),
    h('p', { class: 'total' }, `Total paid ${formatPrice(order.totalCents)}`),
  );
}

function needLogin(main: HTMLElement, title: string, next: string): boolean {
  if (session.user) return false;
  main.append(h('h1', {}, title), messageBox('info', 'Please log in to see your tickets.'),
    h('p', {}, h('a', { href: authHref('/login', next), 'data-link': true }, 'Log in')));
  return true;
}

function failed(main: HTMLElement, title: string, error: unknown): void {
  const body = error instanceof ApiError ? error.body : { code: 'internal_error', message: '' };
  main.append(h('h1', {}, title), messageBox('error', humanMessage(body)));
}

/** The confirmation after a purchase (and the page of any one order). */
export async function orderPage(main: HTMLElement, params: Record<string, string>, query: URLSearchParams): Promise<void> {
  if (needLogin(main, 'Your order', `/orders/${params.orderId}`)) return;
  try {
    const order = await api.order(Number(params.orderId));
    const details = await detailsOf([order]);
    const fresh = query.get('new') === '1';
    main.append(h('h1', {}, fresh ? 'Thank you! Your tickets are booked' : `Order #${order.id}`));
    if (fresh) main.append(messageBox('success', `Order #${order.id} is confirmed: ${order.tickets.length} ticket${order.tickets.length === 1 ? '' : 's'}.`));
    main.append(
      orderCard(order, details.get(order.eventId), 'h2'),
      h('p', {}, h('a', { href: '/tickets', 'data-link': true }, 'See all my tickets'), ' · ', h('a', { href: '/', 'data-link': true }, 'Back to events')),
    );
  } catch (error) {
    failed(main, 'Your order', error);
  }
}

/** Every order of the buyer with its tickets. */
export async function ticketsPage(main: HTMLElement): Promise<void> {
  if (needLogin(main, 'My tickets', '/tickets')) return;
  try {
    const orders = await api.orders();
    const details = await detailsOf(orders);
    main.append(h('h1', {}, 'My tickets'));
    if (orders.length === 0) {
      main.append(h('p', {}, 'You have no tickets yet. ', h('a', { href: '/', 'data-link': true }, 'Find an event')));
      return;
    }
    main.append(h('div', { class: 'orders' }, ...orders.map((order) => orderCard(order, details.get(order.eventId), 'h2'))));
  } catch (error) {
    failed(main, 'My tickets', error);
  }
}
