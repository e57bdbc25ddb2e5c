import { createHmac, timingSafeEqual } from 'node:crypto';

/** What the `cookies` package (under Koa's ctx.cookies) calls on `app.keys`. */
export interface CookieSigner {
  sign(data: string): string;
  verify(data: string, digest: string): boolean;
  index(data: string, digest: string): number;
}

/**
 * Keygrip's signatures (HMAC-SHA1, base64url; the first key signs, any key verifies, so keys rotate),
 * compared with crypto.timingSafeEqual. Keygrip compares through tsscmp, which draws random bytes and
 * computes two more HMACs per check: 7 % of an instance's CPU in the on-sale profile, where every
 * request carries a signed session cookie. Signatures are byte for byte Keygrip's, so live sessions survive.
 */
export function cookieSigner(keys: readonly string[]): CookieSigner {
  if (keys.length === 0) throw new Error('at least one cookie signing key is required');
  const signWith = (key: string, data: string) => createHmac('sha1', key).update(data).digest('base64url');
  return {
    sign: (data) => signWith(keys[0]!, data),
    verify(data, digest) {
      return this.index(data, digest) > -1;
    },
    index(data, digest) {
      const given = Buffer.from(digest);
      return keys.findIndex((key) => {
        const expected = Buffer.from(signWith(key, data));
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
    },
  };
}
