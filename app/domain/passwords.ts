import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

/**
 * Password hashes: scrypt for everything the platform writes (`scrypt$<log2N>$<r>$<p>$<salt>$<hash>`),
 * bcrypt (`$2a$`, `$2b$`, `$2y$`) accepted from the monolith and replaced at the next login.
 */
const r = 8;
const p = 1;
const keyLength = 32;

function derive(password: string, salt: Buffer, logN: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    // scrypt needs 128 * N * r bytes; Node's default cap (32 MiB) is below that for N >= 2^15.
    scrypt(password, salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, logN: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, logN);
  return `scrypt$${logN}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export interface Verification {
  valid: boolean;
  /** True when the hash is bcrypt or weaker than the current cost, so it should be replaced. */
  needsRehash: boolean;
}

export async function verifyPassword(password: string, stored: string, logN: number): Promise<Verification> {
  if (/^\$2[aby]\$\d{2}\$/.test(stored)) {
    return { valid: await bcrypt.compare(password, stored), needsRehash: true };
  }
  const [scheme, storedLogN, , , salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return { valid: false, needsRehash: false };
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), Number(storedLogN));
  const valid = actual.length === expected.length && timingSafeEqual(actual, expected);
  return { valid, needsRehash: valid && Number(storedLogN) < logN };
}

/** Spends the time of a real verification, so an unknown email answers as slowly as a wrong password. */
export async function burnVerification(password: string, logN: number): Promise<void> {
  await derive(password, Buffer.alloc(16), logN);
}
