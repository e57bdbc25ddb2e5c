import { setTimeout as sleep } from 'node:timers/promises';

/** What the bench saw of one buyer's wait. */
export interface BuyerOutcome {
  index: number;
  userId: number;
  joinedAt: number;
  /** Client time the buyer learned of the admission (null: never admitted). */
  admittedAt: number | null;
  status: string;
  polls: number;
  failures: number;
}

type QueueAnswer = { status: number; queue?: { status: string; pollAfterSeconds: number } };

/** One logged-in buyer with the cookies the API gives it (session, place, admission), as one browser would keep them. */
export class QueueBuyer {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly index: number,
    readonly userId: number,
    sessionCookie: string,
    private readonly baseUrl: string,
  ) {
    for (const pair of sessionCookie.split('; ')) {
      const split = pair.indexOf('=');
      if (split > 0) this.cookies.set(pair.slice(0, split), pair.slice(split + 1));
    }
  }

  async send(
    method: string,
    path: string,
    options: { json?: unknown; headers?: Record<string, string>; baseUrl?: string } = {},
  ): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const headers: Record<string, string> = { ...options.headers, cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await fetch((options.baseUrl ?? this.baseUrl) + path, {
        method, headers, body: options.json === undefined ? undefined : JSON.stringify(options.json), signal: AbortSignal.timeout(15_000),
      });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';');
        const split = pair.indexOf('=');
        this.cookies.set(pair.slice(0, split), pair.slice(split + 1));
      }
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    } catch {
      return { status: 0, body: undefined };
    }
  }

  async queue(eventId: number, join: boolean): Promise<QueueAnswer> {
    const { status, body } = await this.send(join ? 'POST' : 'GET', `/api/events/${eventId}/queue`);
    return { status, queue: body?.queue };
  }

  /**
   * Waits in the queue as the API advises (pollAfterSeconds), until admitted or told the turn passed. Network
   * failures and 5xx are retried after a second.
   */
  async waitInQueue(eventId: number, first: QueueAnswer, joinedAt: number): Promise<BuyerOutcome> {
    const outcome: BuyerOutcome = { index: this.index, userId: this.userId, joinedAt, admittedAt: null, status: 'waiting', polls: 0, failures: 0 };
    let answer = first;
    for (;;) {
      const place = answer.queue;
      if (answer.status !== 200 || !place) {
        outcome.failures++;
        await sleep(1_000);
        answer = await this.queue(eventId, outcome.polls === 0 && answer.status !== 200);
        continue;
      }
      if (place.status === 'admitted') {
        outcome.admittedAt = Date.now();
        outcome.status = 'admitted';
        return outcome;
      }
      if (place.status === 'expired') {
        outcome.status = 'expired';
        return outcome;
      }
      await sleep(place.pollAfterSeconds * 1000);
      outcome.polls++;
      answer = await this.queue(eventId, false);
    }
  }
}
