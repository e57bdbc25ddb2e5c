/**
 * The on-sale spike against a deployed stack:
 *
 *   k6 run -e BASE_URL=https://tickets.example -e EVENT_ID=42 test/load/onsale.ts
 *
 * Each virtual user is one buyer (buyer-<VU>@<BUYER_EMAIL_DOMAIN>, registered on first use: from one load
 * generator that needs REGISTER_RATE_LIMIT_PER_IP=0 on the instances, or buyers created beforehand), logged in
 * before its first measured step. Per iteration it browses the seat map, holds 1-4 seats (the front-row
 * rush: most first attempts want the same few best seats), tries other seats after each 409, then buys
 * with an Idempotency-Key or walks away. The shape (stages, mix, seat choice) comes from scenario.ts
 * and seat-choice.ts, which the local benchmark (`npm run bench:onsale`) reads too.
 */
import { check, sleep } from 'k6';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import { onsaleScenario as scenario } from './scenario.ts';
import { chooseSeats, seatsWanted, type SeatKnowledge } from './seat-choice.ts';

const baseUrl = (__ENV.BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const eventId = Number(__ENV.EVENT_ID ?? '1');
const emailDomain = __ENV.BUYER_EMAIL_DOMAIN ?? 'load.test';
const password = __ENV.BUYER_PASSWORD ?? 'load-test-password';
const jsonHeaders = { 'Content-Type': 'application/json' };

export const options: Options = {
  scenarios: {
    onsale: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: scenario.stages.map((stage) => ({ duration: `${stage.durationSeconds}s`, target: stage.target })),
      gracefulRampDown: '15s',
    },
  },
  thresholds: {
    'http_req_duration{endpoint:hold}': ['p(95)<150', 'p(99)<400'],
    'http_req_duration{endpoint:purchase}': ['p(95)<300', 'p(99)<800'],
    'http_req_duration{endpoint:seats}': ['p(95)<500', 'p(99)<1000'],
    // 409 and 410 are answers of a sold-out show, not failures; anything else unexpected is.
    http_req_failed: ['rate<0.01'],
    server_errors: ['count<1'],
    checks: ['rate>0.99'],
  },
};

http.setResponseCallback(http.expectedStatuses(200, 201, 204, 409, 410));

const holdsGranted = new Counter('holds_granted');
const purchases = new Counter('purchases');
const abandoned = new Counter('holds_abandoned');
const errorsByCode = new Counter('errors_by_code');
const serverErrors = new Counter('server_errors');
const holdAttempts = new Trend('hold_attempts_per_buyer');

let loggedIn = false;

interface ErrorBody {
  error?: { code?: string; details?: { seatIds?: number[] } };
}

/** What this script reads of a k6 response (its body is text unless a binary responseType is asked for). */
interface Answer {
  status: number;
  body: string | ArrayBuffer | null;
}

function json<T>(response: Answer): T {
  return JSON.parse(typeof response.body === 'string' ? response.body : '') as T;
}

function errorOf(response: Answer): ErrorBody['error'] {
  try {
    return json<ErrorBody>(response).error;
  } catch {
    return undefined;
  }
}

function record(response: Answer, endpoint: string): void {
  if (response.status >= 500 || response.status === 0) serverErrors.add(1, { endpoint });
  if (response.status >= 400) errorsByCode.add(1, { endpoint, code: errorOf(response)?.code ?? `http_${response.status}` });
}

function think(): void {
  const { min, max } = scenario.buyer.thinkSeconds;
  sleep(min + Math.random() * (max - min));
}

/** Once per VU, before its first measured step: "users already logged in". */
function logIn(): void {
  const email = `buyer-${__VU}@${emailDomain}`;
  const body = JSON.stringify({ email, password });
  let response = http.post(`${baseUrl}/api/auth/login`, body, { headers: jsonHeaders, tags: { endpoint: 'login' } });
  if (response.status === 401) {
    http.post(`${baseUrl}/api/auth/register`, JSON.stringify({ email, password, name: `Buyer ${__VU}` }), {
      headers: jsonHeaders,
      tags: { endpoint: 'login' },
    });
    response = http.post(`${baseUrl}/api/auth/login`, body, { headers: jsonHeaders, tags: { endpoint: 'login' } });
  }
  loggedIn = check(response, { 'logged in': (r) => r.status === 200 });
}

export default function onsale(): void {
  if (!loggedIn) logIn();
  if (!loggedIn) return;

  const map = http.get(`${baseUrl}/api/events/${eventId}/seats`, { tags: { endpoint: 'seats' } });
  record(map, 'seats');
  if (!check(map, { 'seat map loads': (r) => r.status === 200 })) return;
  const { seats } = json<{ seats: { id: number; status: string }[] }>(map);
  const knowledge: SeatKnowledge = {
    seatIds: seats.map((seat) => seat.id),
    taken: new Set(seats.filter((seat) => seat.status !== 'available').map((seat) => seat.id)),
  };
  if (knowledge.taken.size === seats.length) {
    think(); // sold out: the buyer looks at the map and leaves
    return;
  }

  const count = seatsWanted(scenario, Math.random);
  let holdId: string | undefined;
  let attempt = 1;
  for (; attempt <= scenario.buyer.maxHoldAttempts && !holdId; attempt++) {
    const seatIds = chooseSeats(scenario, knowledge, { count, attempt, random: Math.random });
    if (seatIds.length === 0) break;
    const response = http.post(`${baseUrl}/api/events/${eventId}/holds`, JSON.stringify({ seatIds }), {
      headers: jsonHeaders,
      tags: { endpoint: 'hold' },
    });
    record(response, 'hold');
    check(response, { 'hold answered 201 or 409': (r) => r.status === 201 || r.status === 409 });
    if (response.status === 201) {
      holdId = json<{ hold: { id: string } }>(response).hold.id;
      holdsGranted.add(1);
      break;
    }
    const error = errorOf(response);
    if (error?.code !== 'seats_unavailable') break; // seat limit reached, or not a seat conflict
    for (const id of error.details?.seatIds ?? seatIds) knowledge.taken.add(id);
  }
  holdAttempts.add(attempt);
  if (!holdId) return;

  think();
  if (Math.random() < scenario.buyer.abandonShare) {
    const released = http.del(`${baseUrl}/api/holds/${holdId}`, null, { tags: { endpoint: 'release' } });
    record(released, 'release');
    check(released, { 'hold released': (r) => r.status === 204 });
    abandoned.add(1);
    return;
  }

  // One key per purchase; a retry after a timeout or a 503 sends the same key and gets the same order.
  const headers = { 'Idempotency-Key': `k6-${__VU}-${__ITER}-${holdId}` };
  let response = http.post(`${baseUrl}/api/holds/${holdId}/purchase`, null, { headers, tags: { endpoint: 'purchase' } });
  if (response.status === 0 || response.status === 503) {
    response = http.post(`${baseUrl}/api/holds/${holdId}/purchase`, null, { headers, tags: { endpoint: 'purchase' } });
  }
  record(response, 'purchase');
  if (check(response, { 'purchase committed': (r) => r.status === 201 })) purchases.add(1);
  think();
}
