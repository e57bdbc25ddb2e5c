import { networkErrorCode } from './error-messages.ts';
import type { ApiErrorBody, EventSummary, Hold, Order, QueuePlace, Seat, User } from './types.ts';

/** An API error answer (or a network failure, with code `network_error` and status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
    readonly retryAfterSeconds?: number,
  ) {
    super(body.message);
  }

  get code(): string {
    return this.body.code;
  }
}

/** Any failure as an ApiError, so every error gets a human message. */
export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, { code: 'internal_error', message: String(error) });
}

async function request<T>(method: string, path: string, options: { json?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { code: networkErrorCode, message: 'network error' });
  }
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => undefined)) as (T & { error?: ApiErrorBody }) | undefined;
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('retry-after'));
    const error = body?.error ?? { code: response.status >= 500 ? 'internal_error' : 'bad_request', message: response.statusText };
    throw new ApiError(response.status, error, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }
  return body as T;
}

export const api = {
  /** Who is logged in: 200 with null when nobody is (GET /api/me would answer 401, which browsers log as an error). */
  session: () => request<{ user: User | null }>('GET', '/api/session').then((r) => r.user),
  register: (input: { email: string; password: string; name: string }) =>
    request<{ user: User }>('POST', '/api/auth/register', { json: input }).then((r) => r.user),
  logIn: (input: { email: string; password: string }) =>
    request<{ user: User }>('POST', '/api/auth/login', { json: input }).then((r) => r.user),
  logOut: () => request<void>('POST', '/api/auth/logout'),
  events: () => request<{ events: EventSummary[] }>('GET', '/api/events').then((r) => r.events),
  event: (eventId: number) => request<{ event: EventSummary }>('GET', `/api/events/${eventId}`).then((r) => r.event),
  hold: (eventId: number, seatIds: number[]) =>
    request<{ hold: Hold }>('POST', `/api/events/${eventId}/holds`, { json: { seatIds } }).then((r) => r.hold),
  getHold: (holdId: string) => request<{ hold: Hold }>('GET', `/api/holds/${encodeURIComponent(holdId)}`).then((r) => r.hold),
  releaseHold: (holdId: string) => request<void>('DELETE', `/api/holds/${encodeURIComponent(holdId)}`),
  purchase: (holdId: string, idempotencyKey: string) =>
    request<{ order: Order }>('POST', `/api/holds/${encodeURIComponent(holdId)}/purchase`, {
      headers: { 'idempotency-key': idempotencyKey },
    }).then((r) => r.order),
  orders: () => request<{ orders: Order[] }>('GET', '/api/orders').then((r) => r.orders),
  /** Takes (or finds again) the buyer's place in the event's waiting room; `wafToken` when AWS WAF's CAPTCHA was solved. */
  joinQueue: (eventId: number, wafToken?: string) =>
    request<{ queue: QueuePlace }>('POST', `/api/events/${eventId}/queue`, { headers: wafToken ? { 'x-aws-waf-token': wafToken } : {} }).then((r) => r.queue),
  queueStatus: (eventId: number) => request<{ queue: QueuePlace }>('GET', `/api/events/${eventId}/queue`).then((r) => r.queue),
  order: (orderId: number) => request<{ order: Order }>('GET', `/api/orders/${orderId}`).then((r) => r.order),
};

/**
 * The seat map with a validator: `seats` is null when the server answered 304 (nothing changed since `etag`).
 * The fetch bypasses the HTTP cache so a 304 reaches the page and costs no JSON parsing.
 */
export async function fetchSeatMap(eventId: number, etag: string | null): Promise<{ seats: Seat[] | null; etag: string | null }> {
  let response: Response;
  try {
    response = await fetch(`/api/events/${eventId}/seats`, {
      headers: etag ? { accept: 'application/json', 'if-none-match': etag } : { accept: 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { code: networkErrorCode, message: 'network error' });
  }
  if (response.status === 304) return { seats: null, etag };
  const body = (await response.json().catch(() => undefined)) as { seats?: Seat[]; error?: ApiErrorBody } | undefined;
  if (!response.ok || !body?.seats) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(response.status, body?.error ?? { code: 'internal_error', message: response.statusText }, retryAfter || undefined);
  }
  return { seats: body.seats, etag: response.headers.get('etag') };
}
