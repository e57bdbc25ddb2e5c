import { createHmac, randomBytes } from 'node:crypto';

/**
 * Names an account without its email, for Redis keys and the device cookie: a keyed hash (HMAC-SHA256
 * with the first session key) of the address as the database compares it. Without the key, a tag cannot
 * be matched to an address by hashing candidate addresses.
 */
export function accountTag(secret: string, accountKey: Buffer): string {
  return createHmac('sha256', secret).update('login-account\0').update(accountKey).digest('base64url').slice(0, 22);
}

/** One browser's share of an account's login throttle (the device cookie's second half). */
export const newDeviceNonce = () => randomBytes(12).toString('base64url');

const part = /^[A-Za-z0-9_-]{16,22}$/;

/** A device cookie's value: `<account tag>.<nonce>`. */
export interface DeviceToken {
  account: string;
  nonce: string;
}

export const formatDeviceToken = (token: DeviceToken) => `${token.account}.${token.nonce}`;

export function parseDeviceToken(value: string | undefined): DeviceToken | undefined {
  const [account, nonce, ...rest] = (value ?? '').split('.');
  if (rest.length || !account || !nonce || !part.test(account) || !part.test(nonce)) return undefined;
  return { account, nonce };
}
