// The waiting room's core, shared by the API and the CloudFront Function: token format, which requests it gates,
// and what a waiting buyer is told.
// The API imports it; edge/waiting-room/build.ts strips the types and `export`s and concatenates it into
// the CloudFront Function (cloudfront-js-2.0), so it keeps to what that runtime runs: ES5.1 plus const/let,
// arrow functions and template literals. No imports, classes, optional chaining, `??`, spread, destructuring,
// for-of or default parameters; every dependency (HMAC, the clock) is passed in.

/** HMAC-SHA256 of `data` under `key`, base64url without padding (node:crypto and CloudFront's crypto both make it). */
export type Hmac = (key: string, data: string) => string;

/** Pre-queue places are random integers below this: 2^48 makes a tie among a million buyers improbable (~0.2 %). */
export const preQueueScores = 281474976710656;
/** Places taken after the on-sale are this plus an arrival counter: after every pre-queue place, in arrival order. */
export const arrivalScores = 1125899906842624;

/** What the edge and the API know of a room: the Redis mirror and the KeyValueStore value share this shape. */
export interface RoomRecord {
  /** 1 while the room is enabled. */
  on: number;
  /** When the pre-queue opens (ms since the epoch). */
  op: number;
  /** The on-sale: pre-queue places are drawn and admission starts (ms). */
  os: number;
  /** Places with a score below this have been reached (admitted, or expired since). */
  s: number;
  /** Pre-queue places taken (random scores below preQueueScores). */
  p: number;
  /** Admissions per minute. */
  r: number;
  /** Seconds an admission lasts unused (and idle). */
  t: number;
}

export interface Place {
  eventId: number;
  userId: number;
  score: number;
  expiresAt: number;
}

export interface Admission {
  eventId: number;
  userId: number;
  expiresAt: number;
  /** False until the first inventory request marks the admission used (then the API extends it as it is used). */
  used: boolean;
}

export function placeCookieName(eventId: number): string {
  return 'tk.place.' + eventId;
}

export function admissionCookieName(eventId: number): string {
  return 'tk.adm.' + eventId;
}

export function queuePath(eventId: number): string {
  return '/api/events/' + eventId + '/queue';
}

/** Compares two strings in time that depends on their length only. */
export function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference = difference | (a.charCodeAt(i) ^ b.charCodeAt(i));
  return difference === 0;
}

function sign(hmac: Hmac, key: string, payload: string): string {
  return payload + '.' + hmac(key, payload);
}

const integerText = /^(0|[1-9][0-9]{0,15})$/;

/** The fields of a signed token of `kind` with `count` fields, or null when it is malformed or no key signed it. */
function verified(hmac: Hmac, keys: string[], token: string | undefined, kind: string, count: number): number[] | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const parts = token.split('.');
  if (parts.length !== count + 2 || parts[0] !== kind) return null;
  const signature = parts[count + 1] as string;
  const payload = token.slice(0, token.length - signature.length - 1);
  let signedByUs = false;
  for (let i = 0; i < keys.length; i++) if (sameText(hmac(keys[i] as string, payload), signature)) signedByUs = true;
  if (!signedByUs) return null;
  const fields: number[] = [];
  for (let i = 1; i <= count; i++) {
    const text = parts[i] as string;
    if (!integerText.test(text)) return null;
    fields.push(Number(text));
  }
  return fields;
}

/** `p.<eventId>.<userId>.<score>.<expiresAt>.<hmac>`: the buyer's place in the event's queue. */
export function signPlace(hmac: Hmac, key: string, place: Place): string {
  return sign(hmac, key, 'p.' + place.eventId + '.' + place.userId + '.' + place.score + '.' + place.expiresAt);
}

/** `a.<eventId>.<userId>.<expiresAt>.<used 0|1>.<hmac>`: the admission to the event's inventory. */
export function signAdmission(hmac: Hmac, key: string, admission: Admission): string {
  const payload = 'a.' + admission.eventId + '.' + admission.userId + '.' + admission.expiresAt + '.' + (admission.used ? 1 : 0);
  return sign(hmac, key, payload);
}

/** A place signed with one of `keys` for this event that has not expired; otherwise null. */
export function readPlace(hmac: Hmac, keys: string[], token: string | undefined, eventId: number, now: number): Place | null {
  const f = verified(hmac, keys, token, 'p', 4);
  if (!f || f[0] !== eventId || (f[3] as number) <= now) return null;
  return { eventId: eventId, userId: f[1] as number, score: f[2] as number, expiresAt: f[3] as number };
}

/** An admission signed with one of `keys` for this event that has not expired; otherwise null. The API also checks the buyer. */
export function readAdmission(hmac: Hmac, keys: string[], token: string | undefined, eventId: number, now: number): Admission | null {
  const f = verified(hmac, keys, token, 'a', 4);
  if (!f || f[0] !== eventId || (f[2] as number) <= now || (f[3] !== 0 && f[3] !== 1)) return null;
  return { eventId: eventId, userId: f[1] as number, expiresAt: f[2] as number, used: f[3] === 1 };
}

export interface Gated {
  /** `inventory`: the seat map, holds, purchases (need an admission); `status`: a queue status poll. */
  kind: 'inventory' | 'status';
  eventId: number;
}

const seatMapPath = /^\/api\/events\/([1-9][0-9]{0,9})\/seats$/;
const holdsPath = /^\/api\/events\/([1-9][0-9]{0,9})\/holds$/;
const purchasePath = /^\/api\/holds\/([1-9][0-9]{0,9})-[A-Za-z0-9_-]{22}\/purchase$/;
const queueStatusPath = /^\/api\/events\/([1-9][0-9]{0,9})\/queue$/;

/** Whether a request is one the room gates (and for which event), from its method and path alone. */
export function gatedRequest(method: string, path: string): Gated | null {
  let match: RegExpExecArray | null = null;
  if (method === 'GET' || method === 'HEAD') {
    match = seatMapPath.exec(path);
    if (match) return { kind: 'inventory', eventId: Number(match[1]) };
    match = queueStatusPath.exec(path);
    if (match && method === 'GET') return { kind: 'status', eventId: Number(match[1]) };
  } else if (method === 'POST') {
    match = holdsPath.exec(path) || purchasePath.exec(path);
    if (match) return { kind: 'inventory', eventId: Number(match[1]) };
  }
  return null;
}

/** The room gates inventory from the moment its pre-queue opens until the organizer switches it off. */
export function roomActive(room: RoomRecord | null, now: number): boolean {
  return !!room && room.on === 1 && now >= room.op;
}

/**
 * How many waiting places are ahead of `score`, estimated from the record alone (the edge has no Redis):
 * pre-queue scores are uniform, so P × (distance / 2^48) of them lie in a stretch of scores; arrival scores
 * are consecutive. The API counts exactly (ZCOUNT); the two agree within a few places.
 */
export function estimateAhead(room: RoomRecord, score: number): number {
  if (score < room.s) return 0;
  if (score < preQueueScores) return Math.round((room.p * (score - room.s)) / preQueueScores);
  const preLeft = room.s < preQueueScores ? Math.round((room.p * (preQueueScores - room.s)) / preQueueScores) : 0;
  return preLeft + score - Math.max(room.s, arrivalScores);
}

export interface QueueView {
  status: 'waiting' | 'admitted' | 'expired' | 'closed';
  eventId: number;
  /** 1 = next; null before the on-sale, while pre-queue places are not drawn yet, and when not waiting. */
  position: number | null;
  estimatedWaitSeconds: number | null;
  pollAfterSeconds: number;
  opensAt: string | null;
  onSaleAt: string | null;
  admissionExpiresAt: string | null;
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}

/** The longest a waiting buyer is told to wait between polls: short enough to claim a place well within its TTL. */
function longestPoll(room: RoomRecord): number {
  return clamp(Math.floor(room.t / 3), 1, 30);
}

/**
 * What a waiting buyer is told. Before the on-sale the position is unknown (more buyers may join ahead of a random
 * place): no position, and a first poll after the on-sale spread by the place's own score. After it: the position,
 * the wait at the admission rate, and a poll every third of that wait (1 s to min(30 s, TTL / 3)).
 */
export function waitingView(room: RoomRecord, eventId: number, score: number, ahead: number, now: number): QueueView {
  const view: QueueView = {
    status: 'waiting',
    eventId: eventId,
    position: null,
    estimatedWaitSeconds: null,
    pollAfterSeconds: 1,
    opensAt: new Date(room.op).toISOString(),
    onSaleAt: new Date(room.os).toISOString(),
    admissionExpiresAt: null,
  };
  if (now < room.os && score < preQueueScores) {
    // The place is drawn already (its score), only not yet known among the others: the first poll after the
    // on-sale comes near the expected turn, so a million pre-queued buyers do not all ask at the on-sale.
    const expectedWait = ((score / preQueueScores) * room.p * 60) / Math.max(room.r, 1);
    const untilOnSale = (room.os - now) / 1000;
    view.pollAfterSeconds = clamp(Math.ceil(untilOnSale + 0.8 * expectedWait), 1, 30);
    return view;
  }
  view.position = ahead + 1;
  view.estimatedWaitSeconds = Math.ceil((view.position * 60) / Math.max(room.r, 1)) + Math.max(0, Math.ceil((room.os - now) / 1000));
  view.pollAfterSeconds = clamp(Math.floor(view.estimatedWaitSeconds / 3), 1, longestPoll(room));
  return view;
}

export const queueRequiredMessage = 'This event has a waiting room: join the queue to reach the seats.';

/** The 403 every gated inventory request without a valid admission gets, from the edge or the API. */
export function queueRequiredBody(eventId: number): string {
  return JSON.stringify({
    error: {
      code: 'queue_required',
      message: queueRequiredMessage,
      details: { queueUrl: queuePath(eventId) },
    },
  });
}
