import type { ParameterizedContext } from 'koa';
import type { PublicUser } from '../services/auth.ts';

export interface AppState {
  requestId: string;
  /** The logged-in user, set by `requireUser`. */
  user?: PublicUser;
  /** The parsed JSON body, set by `jsonBody`. */
  body?: unknown;
}

export type AppContext = ParameterizedContext<AppState>;
