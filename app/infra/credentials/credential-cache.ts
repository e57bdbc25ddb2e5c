import type { Credentials } from './credential-source.ts';

export interface CredentialCacheOptions {
  /** Younger than this, the cached credentials are used as they are. */
  readonly freshMs: number;
  /**
   * Between `freshMs` and this, they are still used while a new read runs in the background, so a slow
   * or unreachable source never holds up a query; older, a connection waits for the read.
   */
  readonly usableMs: number;
  /** A background read failed: the cached credentials stay in use. */
  readonly onBackgroundError?: (error: unknown) => void;
  readonly now?: () => number;
}

/** The last credentials read from a source, with one read at a time. */
export class CredentialCache {
  private cached: { credentials: Credentials; at: number } | undefined;
  private loading: Promise<Credentials> | undefined;

  constructor(
    private readonly load: () => Promise<Credentials>,
    private readonly options: CredentialCacheOptions,
  ) {}

  get value(): Credentials | undefined {
    return this.cached?.credentials;
  }

  current(): Credentials | Promise<Credentials> {
    const age = this.cached ? this.now() - this.cached.at : Infinity;
    if (this.cached && age < this.options.freshMs) return this.cached.credentials;
    if (this.cached && age < this.options.usableMs) {
      this.reload().catch((error: unknown) => this.options.onBackgroundError?.(error));
      return this.cached.credentials;
    }
    return this.reload();
  }

  /** Reads the source now (joining a read already under way) and keeps what it says. */
  reload(load: () => Promise<Credentials> = this.load): Promise<Credentials> {
    this.loading ??= (async () => {
      const at = this.now();
      const credentials = await load();
      this.cached = { credentials, at };
      return credentials;
    })().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
