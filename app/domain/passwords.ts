import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

/**
 * Password hashes: scrypt for everything the platform writes (`scrypt$<log2N>$<r>$<p>$<salt>$<hash>`),
 * bcrypt (`$2a$`, `$2b$`, `$2y$`) accepted from the monolith and replaced at the next login.
 *
 * Passwords are hashed in Unicode NFKC (NIST SP 800-63B 5.1.1.2), so the same password typed on another
 * keyboard or input method still matches. Hashes written before that were of the password as sent: a
 * password that NFKC changes is tried both ways, and a match the old way is rehashed.
 */
const r = 8;
const p = 1;
const keyLength = 32;

/** One scrypt derivation; passed in so callers can observe (count) the work done. */
export type Derive = (password: string, salt: Buffer, logN: number) => Promise<Buffer>;

export const scryptDerive: Derive = (password, salt, logN) => {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    // scrypt needs 128 * N * r bytes; Node's default cap (32 MiB) is below that for N >= 2^15.
    scrypt(password, salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
};

export const normalizePassword = (password: string) => password.normalize('NFKC');

export async function hashPassword(password: string, logN: number, derive: Derive = scryptDerive): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(normalizePassword(password), salt, logN);
  return `scrypt$${logN}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export interface Verification {
  valid: boolean;
  /** True when the hash is bcrypt, weaker than the current cost or of the unnormalised password, so it should be replaced. */
  needsRehash: boolean;
  /** The highest scrypt log2 N this verification derived at (0 for bcrypt or an unreadable hash). */
  costSpent: number;
}

export async function verifyPassword(password: string, stored: string, logN: number, derive: Derive = scryptDerive): Promise<Verification> {
  if (/^\$2[aby]\$\d{2}\$/.test(stored)) {
    // The monolith hashed passwords as sent.
    return { valid: await bcrypt.compare(password, stored), needsRehash: true, costSpent: 0 };
  }
  const [scheme, storedLogN, , , salt, hash] = stored.split('$');
  const cost = Number(storedLogN);
  if (scheme !== 'scrypt' || !salt || !hash || !Number.isInteger(cost)) return { valid: false, needsRehash: false, costSpent: 0 };
  const expected = Buffer.from(hash, 'base64');
  const matches = async (candidate: string) => {
    const actual = await derive(candidate, Buffer.from(salt, 'base64'), cost);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
  const normalized = normalizePassword(password);
  if (await matches(normalized)) return { valid: true, needsRehash: cost < logN, costSpent: cost };
  const valid = normalized !== password && (await matches(password));
  return { valid, needsRehash: valid, costSpent: cost };
}

/** Spends one derivation at `logN` against a dummy hash, so a login that found nothing to compare costs as much work. */
export async function burnVerification(password: string, logN: number, derive: Derive = scryptDerive): Promise<void> {
  await derive(normalizePassword(password), Buffer.alloc(16), logN);
}
