import type { ParameterizedContext } from 'koa';
import type { StoredSession } from '../infra/session-cache.ts';
import type { PublicUser } from '../services/auth.ts';

/** An admitted buyer's admission, as the gate verified it; `extendedTo` is set when this request kept it alive. */
export interface AdmissionState {
  eventId: number;
  userId: number;
  ttlMs: number;
  lapsesAt: number;
  extendedTo?: number;
}

export interface AppState {
  requestId: string;
  /** The logged-in user, set by `requireUser`. */
  user?: PublicUser;
  /** The parsed JSON body, set by `jsonBody`. */
  body?: unknown;
  /** The waiting-room admission the request showed, set by `requireAdmission` while the event's room gates it. */
  admission?: AdmissionState;
  /**
   * The session as the hold route reads it (`cachedSession`, read-only; null: none) instead of koa-session's
   * `ctx.session`; undefined on every other route.
   */
  session?: Readonly<StoredSession> | null;
}

export type AppContext = ParameterizedContext<AppState>;
