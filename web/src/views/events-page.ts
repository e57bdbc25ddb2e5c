import { api, ApiError } from '../api.ts';
import { h, messageBox } from '../dom.ts';
import { humanMessage } from '../error-messages.ts';
import { formatDate } from '../format.ts';
import type { EventSummary } from '../types.ts';

/** The list of events with their posters and how many seats are left. */
export async function eventsPage(main: HTMLElement): Promise<void> {
  main.append(h('h1', {}, 'Events'), h('p', { class: 'lead' }, 'Pick an event to see its live seat map and choose your seats.'));
  let events: EventSummary[];
  try {
    events = await api.events();
  } catch (error) {
    main.append(messageBox('error', humanMessage(error instanceof ApiError ? error.body : { code: 'internal_error', message: '' })));
    return;
  }
  if (events.length === 0) {
    main.append(h('p', {}, 'No events are on sale right now. Please come back later.'));
    return;
  }
  main.append(h('ul', { class: 'event-list' }, ...events.map(eventCard)));
}

/** A card for one event: its poster, what and when, and how many seats are left. The whole card is the link. */
function eventCard(event: EventSummary): HTMLElement {
  const headingId = `event-${event.id}-name`;
  // Set through the CSSOM: the Content-Security-Policy (style-src 'self') refuses style attributes.
  const bar = h('span', { class: 'availability-bar', 'aria-hidden': 'true' });
  bar.style.setProperty('--available', String(event.seatsTotal > 0 ? event.seatsAvailable / event.seatsTotal : 0));
  return h(
    'li',
    { class: 'event-card' },
    h('article', { 'aria-labelledby': headingId },
      // Width and height reserve the poster's box before it loads, so nothing below it moves.
      event.posterUrl
        ? h('img', { class: 'poster', src: event.posterUrl, alt: `Poster for ${event.name}`, width: 200, height: 300, loading: 'lazy', decoding: 'async' })
        : h('div', { class: 'poster poster-missing', role: 'img', 'aria-label': 'No poster yet' }),
      h('div', { class: 'event-card-body' },
        h('h2', { id: headingId }, h('a', { href: `/events/${event.id}`, 'data-link': true }, event.name)),
        h('p', { class: 'event-when' }, h('time', { datetime: event.startsAt }, formatDate(event.startsAt))),
        h('p', { class: 'event-venue' }, event.venue),
        h('p', { class: 'availability' }, `${event.seatsAvailable} of ${event.seatsTotal} seats available`),
        // The sentence above, drawn: a nearly sold-out event shows at a glance.
        bar,
        h('span', { class: 'event-cta', 'aria-hidden': 'true' }, event.seatsAvailable > 0 ? 'Choose seats' : 'Sold out'),
      ),
    ),
  );
}
