import { admissionCookieName, placeCookieName, queuePath } from '../../shared/waiting-room.ts';
import type { AppContext } from './context.ts';

/**
 * The waiting room's cookies carry tokens signed by the API (shared/waiting-room.ts), so they are not signed
 * again with the session keys: the CloudFront Function verifies them as they are. httpOnly, SameSite=Lax, Secure
 * exactly when the request is HTTPS.
 */
function write(ctx: AppContext, name: string, token: string, expiresAt: number, path: string): void {
  ctx.cookies.set(name, token, {
    signed: false,
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    path,
    expires: new Date(expiresAt),
    overwrite: true,
  });
}

/** The place, sent only to the event's queue route: the edge answers polls from it. */
export function writePlaceCookie(ctx: AppContext, eventId: number, token: string, expiresAt: number): void {
  write(ctx, placeCookieName(eventId), token, expiresAt, queuePath(eventId));
}

/** The admission, sent to every /api/ route: the seat map, holds and purchases check it. */
export function writeAdmissionCookie(ctx: AppContext, eventId: number, token: string, expiresAt: number): void {
  write(ctx, admissionCookieName(eventId), token, expiresAt, '/api');
}

export function readPlaceCookie(ctx: AppContext, eventId: number): string | undefined {
  return ctx.cookies.get(placeCookieName(eventId));
}

export function readAdmissionCookie(ctx: AppContext, eventId: number): string | undefined {
  return ctx.cookies.get(admissionCookieName(eventId));
}
