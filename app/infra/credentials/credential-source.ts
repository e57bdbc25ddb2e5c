/** What a client authenticates a new connection with. For RDS IAM the password is a 15-minute token. */
export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/**
 * Where a client gets the credentials for its next connection. Servers check credentials only when a
 * connection opens, so only new connections use what a source says, and connections already open keep
 * working whatever it says later. `current()` is asked often (before each pool acquire) and answers from
 * its cache; a source is read again in the background when the cache ages, at once when refused.
 */
export interface CredentialSource {
  /** For logs: where the credentials come from (never the credentials). */
  readonly description: string;
  /** The credentials to open a connection with now: a value when cached, a promise only before the first read. */
  current(): Credentials | Promise<Credentials>;
  /**
   * The server refused `rejected`: what to try instead, read again from the source. Concurrent callers
   * share one read, and a caller whose `rejected` was already replaced gets the replacement at once.
   */
  refresh(rejected: Credentials): Promise<Credentials>;
}

export function sameCredentials(a: Credentials, b: Credentials): boolean {
  return a.user === b.user && a.password === b.password;
}

/** Credentials written in a URL: they never change while the process runs. */
export function fixedCredentials(credentials: Credentials, description: string): CredentialSource {
  return {
    description,
    current: () => credentials,
    refresh: async () => credentials,
  };
}
