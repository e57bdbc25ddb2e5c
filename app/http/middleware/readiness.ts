import type { Middleware } from 'koa';
import { errors } from '../../errors.ts';
import type { AppState } from '../context.ts';

/** Until migrations and the organizer bootstrap are done, the API answers 503. */
export function whenReady(isReady: () => boolean): Middleware<AppState> {
  return async (_ctx, next) => {
    if (!isReady()) throw errors.serviceUnavailable('The instance is starting; retry shortly.');
    await next();
  };
}
