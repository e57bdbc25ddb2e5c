import type { Hold } from './types.ts';

/**
 * The buyer's current hold per event, kept in sessionStorage so a reload keeps "mine" and the countdown,
 * with the Idempotency-Key of the purchase attempt in flight (one key per attempt: a double click or a
 * retry of the same attempt replays the same order instead of buying twice).
 */
export interface StoredHold {
  hold: Hold;
  idempotencyKey?: string;
}

const keyOf = (eventId: number) => `ticketkit.hold.${eventId}`;

export const holdStore = {
  get(eventId: number): StoredHold | null {
    try {
      const text = sessionStorage.getItem(keyOf(eventId));
      return text ? (JSON.parse(text) as StoredHold) : null;
    } catch {
      return null;
    }
  },
  set(eventId: number, stored: StoredHold): void {
    sessionStorage.setItem(keyOf(eventId), JSON.stringify(stored));
  },
  clear(eventId: number): void {
    sessionStorage.removeItem(keyOf(eventId));
  },
};

/** One key per purchase attempt; kept until that attempt has an answer that ends it. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
