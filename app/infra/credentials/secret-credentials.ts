import { CredentialCache } from './credential-cache.ts';
import { sameCredentials, type CredentialSource, type Credentials } from './credential-source.ts';

/** The two version stages a rotation moves between (Secrets Manager's names). */
export type SecretStage = 'AWSCURRENT' | 'AWSPENDING';

/** Reads one version stage of a secret; `undefined` when the secret has no such version (no rotation under way). */
export type SecretReader = (stage: SecretStage) => Promise<string | undefined>;

export interface SecretCredentialsOptions {
  readonly description: string;
  /** The user when the secret holds only a password (a plain string rather than `{"username","password"}`). */
  readonly user: string;
  /** How long a read is trusted before it is read again (in the background). @default 300_000 */
  readonly ttlMs?: number;
  readonly onBackgroundError?: (error: unknown) => void;
  readonly now?: () => number;
}

/**
 * Credentials from a rotated secret: `{"username","password"}` as RDS and ElastiCache secrets hold them,
 * or a plain string that is the password. Read again every `ttlMs` (while the last read stays in use) and
 * whenever the server refuses them. A single-user rotation changes the password in the database
 * (setSecret) before it labels the new version AWSCURRENT (finishSecret): a connection opened in between
 * is refused with what AWSCURRENT still says, so when a fresh AWSCURRENT is what was refused, the
 * AWSPENDING version is tried.
 */
export class SecretCredentials implements CredentialSource {
  readonly description: string;
  private readonly cache: CredentialCache;
  /** How many times each version stage was read: for logs and tests. */
  readonly reads: Record<SecretStage, number> = { AWSCURRENT: 0, AWSPENDING: 0 };

  constructor(
    private readonly read: SecretReader,
    private readonly options: SecretCredentialsOptions,
  ) {
    this.description = options.description;
    // A secret does not expire by itself: stale reads stay usable, a rotation shows up as a refusal.
    this.cache = new CredentialCache(async () => (await this.readStage('AWSCURRENT'))!, {
      freshMs: options.ttlMs ?? 300_000,
      usableMs: Infinity,
      onBackgroundError: options.onBackgroundError,
      now: options.now,
    });
  }

  current(): Credentials | Promise<Credentials> {
    return this.cache.current();
  }

  refresh(rejected: Credentials): Promise<Credentials> {
    const cached = this.cache.value;
    // Another connection already moved on from what this one was refused with.
    if (cached && !sameCredentials(cached, rejected)) return Promise.resolve(cached);
    return this.cache.reload(async () => {
      const current = (await this.readStage('AWSCURRENT'))!;
      if (!sameCredentials(current, rejected)) return current;
      const pending = await this.readStage('AWSPENDING');
      return pending && !sameCredentials(pending, rejected) ? pending : current;
    });
  }

  private async readStage(stage: SecretStage): Promise<Credentials | undefined> {
    this.reads[stage]++;
    const value = await this.read(stage);
    if (value === undefined) {
      if (stage === 'AWSPENDING') return undefined;
      throw new Error(`${this.description} has no ${stage} version`);
    }
    return parseSecret(value, this.options.user);
  }
}

/** `{"username","password",...}` (RDS and ElastiCache secrets), or the password itself. */
export function parseSecret(value: string, user: string): Credentials {
  if (!value.trimStart().startsWith('{')) return { user, password: value };
  let parsed: { username?: unknown; password?: unknown };
  try {
    parsed = JSON.parse(value) as typeof parsed;
  } catch {
    // JSON.parse's message quotes the text: a secret must never reach a log line.
    throw new Error('the secret is neither JSON nor a plain password');
  }
  if (typeof parsed.password !== 'string') throw new Error('the secret has no "password" string');
  return { user: typeof parsed.username === 'string' && parsed.username ? parsed.username : user, password: parsed.password };
}
