import { CredentialCache } from './credential-cache.ts';
import type { CredentialSource, Credentials } from './credential-source.ts';

/** Signs a new RDS IAM authentication token (a presigned `connect` URL, valid 15 minutes). */
export type TokenSigner = () => Promise<string>;

/** A token is reused for 10 minutes, then replaced in the background; after 14 it is never presented. */
export const tokenFreshMs = 10 * 60_000;
export const tokenUsableMs = 14 * 60_000;

/**
 * Passwords for an RDS user `IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'`: IAM tokens signed with
 * the instance role. Signing is local (SigV4; AWS is called only when the role's keys need renewing), and
 * one token serves every new connection for 10 minutes, as AWS recommends: RDS limits how many IAM
 * connections open per second, not how often a token is used. A refused token is replaced at once.
 */
export class RdsIamCredentials implements CredentialSource {
  readonly description: string;
  private readonly cache: CredentialCache;
  /** How many tokens were signed: for logs and tests. */
  signed = 0;

  constructor(
    private readonly sign: TokenSigner,
    private readonly user: string,
    options: { description: string; onBackgroundError?: (error: unknown) => void; now?: () => number },
  ) {
    this.description = options.description;
    this.cache = new CredentialCache(() => this.signNew(), {
      freshMs: tokenFreshMs,
      usableMs: tokenUsableMs,
      onBackgroundError: options.onBackgroundError,
      now: options.now,
    });
  }

  current(): Credentials | Promise<Credentials> {
    return this.cache.current();
  }

  refresh(rejected: Credentials): Promise<Credentials> {
    const cached = this.cache.value;
    if (cached && cached.password !== rejected.password) return Promise.resolve(cached);
    return this.cache.reload();
  }

  private async signNew(): Promise<Credentials> {
    const token = await this.sign();
    this.signed++;
    return { user: this.user, password: token };
  }
}
