import type { ParameterizedContext } from 'koa';
import type { Logger } from 'pino';
import type { PublicUser } from '../services/auth.ts';

export interface AppState {
  requestId: string;
  log: Logger;
  /** The logged-in user, set by `requireUser`. */
  user?: PublicUser;
  /** The parsed JSON body, set by `jsonBody`. */
  body?: unknown;
}

export type AppContext = ParameterizedContext<AppState>;
