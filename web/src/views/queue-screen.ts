import { api, asApiError } from '../api.ts';
import { announce } from '../announce.ts';
import { solveCaptcha } from '../captcha.ts';
import { h, messageBox, showMessage } from '../dom.ts';
import { humanMessage } from '../error-messages.ts';
import { formatDate } from '../format.ts';
import { authHref } from '../return-path.ts';
import type { Cleanup } from '../router.ts';
import { session } from '../session.ts';
import type { EventSummary, QueuePlace } from '../types.ts';

/** Whether the event's waiting room gates its seats now (the API decides; this only avoids asking for seats first). */
export function roomOpen(event: EventSummary, now = Date.now()): boolean {
  return !!event.waitingRoom && Date.parse(event.waitingRoom.opensAt) <= now;
}

const longestSilenceMs = 60_000;

function waitText(seconds: number | null): string {
  if (seconds === null) return 'Places are drawn at the on-sale.';
  if (seconds < 60) return 'Less than a minute';
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `About ${minutes} minute${minutes === 1 ? '' : 's'}` : `About ${Math.round(minutes / 60)} hours`;
}

/**
 * The queue screen: the buyer's place, the estimated wait and a progress bar, polled as the API advises (Retry-After),
 * moving on to the seat map by itself when admitted. Every figure sits in a box of fixed size (no layout shift); the
 * page's polite live region reads out the place when it is drawn, then at most once a minute, and the admission.
 */
export function queueScreen(main: HTMLElement, event: EventSummary, admitted: () => void): Cleanup {
  const position = h('strong', { class: 'queue-figure', id: 'queue-position' }, '—');
  const wait = h('strong', { class: 'queue-figure', id: 'queue-wait' }, '—');
  const bar = h('div', { class: 'queue-bar-fill' });
  const progress = h('div', { class: 'queue-bar', role: 'progressbar', 'aria-label': 'Progress to the front of the queue', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0 }, bar);
  const status = h('p', { class: 'queue-status', id: 'queue-status' }, 'Joining the queue…');
  const actions = h('div', { class: 'queue-actions' });
  const messages = h('div', { class: 'message-slot' });
  const captchaBox = h('div', { class: 'queue-captcha', id: 'queue-captcha' });
  main.append(
    h('h1', {}, event.name),
    h('section', { class: 'queue-card', 'aria-labelledby': 'queue-title' },
      h('h2', { id: 'queue-title' }, 'You are in the waiting room'),
      h('p', { class: 'hint' }, `Tickets go on sale ${formatDate(event.onSaleAt)}. Everyone who joins before then gets a random place at the on-sale; later arrivals join at the back. Keep this page open: it moves on to the seat map by itself. If you close it, come back to keep your place.`),
      status,
      h('dl', { class: 'queue-figures' },
        h('div', {}, h('dt', {}, 'Your place in line'), h('dd', {}, position)),
        h('div', {}, h('dt', {}, 'Estimated wait'), h('dd', {}, wait)),
      ),
      progress,
      captchaBox,
      actions,
      messages,
    ),
  );

  let timer: number | undefined;
  let stopped = false;
  let firstAhead: number | null = null;
  let lastSaid = 0;
  let lastStatus = '';

  const schedule = (seconds: number, next: () => Promise<void>) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void next(), Math.max(1, seconds) * 1000);
  };

  const draw = (place: QueuePlace) => {
    showMessage(messages, null);
    actions.replaceChildren();
    if (place.status === 'admitted') {
      stopped = true;
      announce('It is your turn. Opening the seat map.');
      admitted();
      return;
    }
    if (place.status === 'waiting') {
      position.textContent = place.position === null ? 'Drawn at the on-sale' : place.position.toLocaleString('en-US');
      wait.textContent = waitText(place.estimatedWaitSeconds);
      if (place.position !== null) {
        firstAhead ??= place.position;
        const done = firstAhead > 1 ? Math.round(((firstAhead - place.position) / (firstAhead - 1)) * 100) : 100;
        bar.style.width = `${done}%`;
        progress.setAttribute('aria-valuenow', String(done));
      }
      status.textContent = place.position === null ? 'You are in the pre-queue.' : 'You are in the queue.';
      const now = Date.now();
      if (lastStatus !== 'waiting' || now - lastSaid > longestSilenceMs) {
        lastSaid = now;
        announce(place.position === null
          ? 'You are in the pre-queue. Your place is drawn at random at the on-sale.'
          : `You are number ${place.position} in line. ${waitText(place.estimatedWaitSeconds)} to wait.`);
      }
    } else if (place.status === 'expired') {
      status.textContent = 'Your turn came and passed while the seat map was not used.';
      actions.append(h('button', { type: 'button', class: 'button', id: 'rejoin', onclick: () => void join() }, 'Join the queue again'));
      announce('Your turn passed. You can join the queue again, at the back.');
    } else {
      status.textContent = place.opensAt && Date.parse(place.opensAt) > Date.now()
        ? `The waiting room opens ${formatDate(place.opensAt)}.`
        : 'There is no queue right now.';
      if (!place.opensAt || Date.parse(place.opensAt) <= Date.now()) {
        stopped = true;
        admitted();
        return;
      }
    }
    lastStatus = place.status;
    if (place.status !== 'expired') schedule(place.pollAfterSeconds, place.status === 'closed' ? join : poll);
  };

  const failed = (error: unknown, retry: () => Promise<void>) => {
    const apiError = asApiError(error);
    showMessage(messages, messageBox('error', humanMessage(apiError.body, { retryAfterSeconds: apiError.retryAfterSeconds })));
    schedule(apiError.retryAfterSeconds ?? 5, retry);
  };

  const poll = async () => {
    if (stopped) return;
    try {
      draw(await api.queueStatus(event.id));
    } catch (error) {
      failed(error, poll);
    }
  };

  const join = async () => {
    if (stopped) return;
    try {
      const captcha = event.waitingRoom?.captcha;
      let wafToken: string | undefined;
      if (captcha) {
        status.textContent = 'Please solve the puzzle to join the queue.';
        wafToken = await solveCaptcha(captchaBox, captcha);
        captchaBox.replaceChildren();
      }
      draw(await api.joinQueue(event.id, wafToken));
    } catch (error) {
      failed(error, join);
    }
  };

  if (!session.user) {
    status.textContent = 'Log in to take your place in the queue.';
    actions.append(h('a', { class: 'button', href: authHref('/login', `/events/${event.id}`), 'data-link': true }, 'Log in to join the queue'));
  } else {
    void join();
  }
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}
