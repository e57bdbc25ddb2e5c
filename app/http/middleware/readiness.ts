import type { Middleware } from 'koa';
import { errors } from '../../errors.ts';
import type { AppState } from '../context.ts';

/** Until migrations and the organizer bootstrap are done, the API answers 503. */
export function whenReady(isReady: () => boolean): Middleware<AppState> {
  // Not async (nothing after next()); koa-compose turns the throw into a rejection.
  return (_ctx, next) => {
    if (!isReady()) throw errors.serviceUnavailable('The instance is starting; retry shortly.');
    return next();
  };
}
