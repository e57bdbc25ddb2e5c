import { burnVerification, hashPassword, scryptDerive, verifyPassword, type Derive } from '../domain/passwords.ts';
import { errors } from '../errors.ts';
import { BoundedSemaphore, SemaphoreBusy } from './bounded-semaphore.ts';

/** What may be done while holding a hash slot. */
export interface PasswordHashing {
  /** A new hash at the current cost. */
  hash(password: string): Promise<string>;
  /**
   * Checks a password against a stored hash, or against nothing (`null`: no such account). Whatever the
   * outcome, at least one derivation at the current cost is spent: a failed check against a cheaper hash
   * (bcrypt, a lower scrypt cost) or against nothing burns one, a successful one rehashes.
   */
  verify(password: string, stored: string | null): Promise<{ valid: boolean; upgradedHash?: string }>;
}

export interface PasswordHasherOptions {
  /** log2 of scrypt's N for new hashes (PASSWORD_HASH_COST). */
  cost: number;
  /** Hashes computed at once (PASSWORD_HASH_CONCURRENCY). */
  concurrency: number;
  /** Callers that may wait for a slot (PASSWORD_HASH_QUEUE). */
  queue: number;
  /** @default 5000 */
  maxWaitMs?: number;
}

/**
 * Every password hash of an instance goes through here: a few at once (each scrypt at cost 17 takes
 * 128 MiB and a libuv thread), a bounded queue, and 503 beyond it, so a flood of logins or
 * registrations cannot exhaust memory or starve the rest of the API. Derivations are counted per cost.
 */
export class PasswordHasher {
  readonly slots: BoundedSemaphore;
  /** Derivations done so far, by scrypt log2 N. */
  readonly derivations = new Map<number, number>();
  private readonly cost: number;
  private readonly derive: Derive;

  constructor(options: PasswordHasherOptions, derive: Derive = scryptDerive) {
    this.cost = options.cost;
    this.slots = new BoundedSemaphore(options.concurrency, options.queue, options.maxWaitMs ?? 5_000);
    this.derive = (password, salt, logN) => {
      this.derivations.set(logN, (this.derivations.get(logN) ?? 0) + 1);
      return derive(password, salt, logN);
    };
  }

  /** Runs `work` holding one hash slot; throws 503 `service_unavailable` when none is free in time. */
  async run<T>(work: (hashing: PasswordHashing) => Promise<T>): Promise<T> {
    let release: () => void;
    try {
      release = await this.slots.acquire();
    } catch (error) {
      if (error instanceof SemaphoreBusy) throw errors.passwordHashBusy();
      throw error;
    }
    try {
      return await work(this.hashing);
    } finally {
      release();
    }
  }

  private readonly hashing: PasswordHashing = {
    hash: (password) => hashPassword(password, this.cost, this.derive),
    verify: async (password, stored) => {
      if (stored === null) {
        await burnVerification(password, this.cost, this.derive);
        return { valid: false };
      }
      const { valid, needsRehash, costSpent } = await verifyPassword(password, stored, this.cost, this.derive);
      if (!valid) {
        if (costSpent < this.cost) await burnVerification(password, this.cost, this.derive);
        return { valid };
      }
      return needsRehash ? { valid, upgradedHash: await hashPassword(password, this.cost, this.derive) } : { valid };
    },
  };
}
