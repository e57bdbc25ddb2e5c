import { formatDeviceToken, parseDeviceToken, type DeviceToken } from '../domain/account-tag.ts';
import type { AppContext } from './context.ts';

/**
 * OWASP's device cookie: set at each successful login, it names the account (by its tag, not its email)
 * and this browser. A login that presents a valid one for the same account is throttled in the browser's
 * own bucket, so someone guessing that account's password elsewhere does not lock its owner out.
 * Signed with the session keys (`tk.device.sig`), httpOnly, SameSite=Strict, sent to the login route only.
 */
export const deviceCookieName = 'tk.device';
const maxAgeMs = 180 * 24 * 60 * 60 * 1000;
const path = '/api/auth/login';

export function readDeviceCookie(ctx: AppContext): DeviceToken | undefined {
  return parseDeviceToken(ctx.cookies.get(deviceCookieName, { signed: true }));
}

export function writeDeviceCookie(ctx: AppContext, token: DeviceToken): void {
  ctx.cookies.set(deviceCookieName, formatDeviceToken(token), {
    signed: true,
    httpOnly: true,
    sameSite: 'strict',
    path,
    maxAge: maxAgeMs,
    // Secure exactly when the request is HTTPS (directly, or by X-Forwarded-Proto when TRUST_PROXY is on).
    secure: ctx.secure,
    overwrite: true,
  });
}
