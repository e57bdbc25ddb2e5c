/** A session as koa-session stores it in Redis (`_expire` is when it ends, in ms since the epoch). */
export interface StoredSession {
  userId?: unknown;
  user?: unknown;
  _expire?: number;
  [field: string]: unknown;
}

interface Entry {
  /** The cookie signature that was verified for this id when the entry was made. */
  signature: string;
  session: StoredSession;
  /** Until when (this cache's clock) the entry may be served without reading Redis again. */
  freshUntil: number;
}

export interface SessionCacheOptions {
  /** How long a session read from Redis is trusted; 0 turns the cache off (every read goes to Redis). */
  ttlMs: number;
  /** Entries kept at most; the oldest goes first. @default 20_000 */
  maxEntries?: number;
  /** The clock (tests move it instead of waiting). @default Date.now */
  now?: () => number;
}

/**
 * Sessions this instance read from Redis, trusted for `ttlMs`: the hold path answers a buyer's next attempts
 * without a Redis round trip or a cookie signature check. Redis stays the source of truth: a session ended on
 * another instance (logout, a new login) is refused here at the latest `ttlMs` after this instance last read
 * it; one ended on this instance is dropped at once (the session store calls `forget`).
 */
export class SessionCache {
  readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();

  constructor(options: SessionCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? 20_000;
    this.now = options.now ?? Date.now;
  }

  /** The session of `sessionId`, if read within the TTL under this very signature and not expired since. */
  get(sessionId: string, signature: string): StoredSession | undefined {
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.freshUntil <= now || (typeof entry.session._expire === 'number' && entry.session._expire < now)) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return sameText(entry.signature, signature) ? entry.session : undefined;
  }

  /** Remembers a session just read from Redis whose cookie signature was verified. */
  remember(sessionId: string, signature: string, session: StoredSession): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(sessionId);
    // Shared by every request that hits the entry: nobody may change it.
    if (session.user && typeof session.user === 'object') Object.freeze(session.user);
    this.entries.set(sessionId, { signature, session: Object.freeze(session), freshUntil: this.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Drops a session this instance changed or ended. */
  forget(sessionId: string): void {
    this.entries.delete(sessionId);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Equal strings, compared without an early exit (the signature is a secret-derived value). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
