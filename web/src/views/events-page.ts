import { api, ApiError } from '../api.ts';
import { h, messageBox } from '../dom.ts';
import { humanMessage } from '../error-messages.ts';
import { formatDate } from '../format.ts';
import type { EventSummary } from '../types.ts';

/** The list of events with their posters and how many seats are left. */
export async function eventsPage(main: HTMLElement): Promise<void> {
  main.append(h('h1', {}, 'Events'));
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

function eventCard(event: EventSummary): HTMLElement {
  const headingId = `event-${event.id}-name`;
  return h(
    'li',
    { class: 'event-card' },
    h('article', { 'aria-labelledby': headingId },
      // Width and height reserve the poster's box before it loads, so nothing below it moves.
      event.posterUrl
        ? h('img', { class: 'poster', src: event.posterUrl, alt: `Poster for ${event.name}`, width: 120, height: 180, loading: 'lazy', decoding: 'async' })
        : h('div', { class: 'poster poster-missing', role: 'img', 'aria-label': 'No poster yet' }),
      h('div', { class: 'event-card-body' },
        h('h2', { id: headingId }, h('a', { href: `/events/${event.id}`, 'data-link': true }, event.name)),
        h('p', {}, event.venue),
        h('p', {}, h('time', { datetime: event.startsAt }, formatDate(event.startsAt))),
        h('p', { class: 'availability' }, `${event.seatsAvailable} of ${event.seatsTotal} seats available`),
      ),
    ),
  );
}
