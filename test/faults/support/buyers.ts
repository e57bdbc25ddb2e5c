import { randomBytes } from 'node:crypto';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { hashPassword } from '../../../app/domain/passwords.ts';

/** One answer as the client saw it; status 0 is a transport failure (refused, reset, or no answer in time). */
export interface Answer {
  status: number;
  code: string | undefined;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  ms: number;
  url: string;
  error?: string;
}

export const buyerPassword = 'fault-test-password';

/** A logged-in buyer that may talk to any instance: its cookie is the whole session. */
export class Buyer {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly userId: number,
    readonly email: string,
  ) {}

  /** The Cookie header that carries this buyer's session. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async send(
    baseUrl: string,
    method: string,
    path: string,
    /** timeoutMs: a request unanswered this long counts as dropped (generous: the suite shares two cores). */
    options: { json?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    const started = performance.now();
    const url = baseUrl + path;
    try {
      const response = await fetch(url, {
        method,
        headers,
        body: options.json === undefined ? undefined : JSON.stringify(options.json),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';');
        const split = pair.indexOf('=');
        this.cookies.set(pair.slice(0, split), pair.slice(split + 1));
      }
      const text = await response.text();
      const body = text ? JSON.parse(text) : undefined;
      return { status: response.status, code: body?.error?.code, body, ms: performance.now() - started, url: baseUrl };
    } catch (error) {
      return { status: 0, code: undefined, body: undefined, ms: performance.now() - started, url: baseUrl, error: String(error) };
    }
  }

  async logIn(baseUrl: string): Promise<Answer> {
    this.cookies.clear();
    return this.send(baseUrl, 'POST', '/api/auth/login', { json: { email: this.email, password: buyerPassword } });
  }
}

/**
 * Inserts `count` buyers straight into the ledger with one precomputed scrypt hash (cost 10, the tests'
 * PASSWORD_HASH_COST), so thousands of accounts take a second rather than thousands of hash computations.
 */
export async function insertBuyers(databaseUrl: string, count: number): Promise<Buyer[]> {
  const passwordHash = await hashPassword(buyerPassword, 10);
  const tag = randomBytes(4).toString('hex');
  const db = await mysql.createConnection(databaseUrl);
  try {
    const emails = Array.from({ length: count }, (_, i) => `buyer-${tag}-${i}@fault.test`);
    for (let i = 0; i < emails.length; i += 1_000) {
      await db.query('INSERT INTO users (email, name, password_hash) VALUES ?', [
        emails.slice(i, i + 1_000).map((email) => [email, 'Buyer', passwordHash]),
      ]);
    }
    const [rows] = await db.query<RowDataPacket[]>('SELECT id, email FROM users WHERE email LIKE ? ORDER BY id', [`buyer-${tag}-%`]);
    return rows.map((row) => new Buyer(Number(row.id), String(row.email)));
  } finally {
    await db.end();
  }
}

/** Logs every buyer in through `baseUrl`, a few at a time. */
export async function logInAll(buyers: Buyer[], baseUrl: string, concurrency = 8): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < buyers.length) {
      const buyer = buyers[next++]!;
      const answer = await buyer.logIn(baseUrl);
      if (answer.status !== 200) throw new Error(`login of ${buyer.email} failed: ${answer.status} ${answer.error ?? answer.code}`);
    }
  }));
}
