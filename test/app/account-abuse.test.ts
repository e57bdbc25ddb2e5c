import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountTag } from '../../app/domain/account-tag.ts';
import { hashPassword, scryptDerive } from '../../app/domain/passwords.ts';
import { BoundedSemaphore, SemaphoreBusy } from '../../app/infra/bounded-semaphore.ts';
import { findLoginCandidate } from '../../app/infra/mysql/users.ts';
import { createTestPlatform, testSessionKey, type TestInstance, type TestPlatform } from '../support/api.ts';
import { HttpClient } from '../support/http-client.ts';
import { redisKeys } from '../support/redis-mode.ts';

let platform: TestPlatform;
/** No limits (the test defaults), PASSWORD_HASH_COST=10. */
let plain: TestInstance;

beforeAll(async () => {
  platform = await createTestPlatform();
  plain = await platform.startInstance();
});
afterAll(() => platform.stop());

let counter = 0;
const uniqueEmail = (label: string) => `${label}-${++counter}-${Math.random().toString(36).slice(2, 8)}@test.local`;
const password = 'correct horse battery';
const from = (address: string) => ({ 'X-Forwarded-For': address });
let addresses = 0;
/** Another client address each call (behind TRUST_PROXY), so no per-IP limit gets in the way. */
const anywhere = () => from(`10.${(++addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`);

async function register(url: string, body: { email: string; password?: string; name?: string }, headers?: Record<string, string>) {
  return new HttpClient(url).post('/api/auth/register', { password, name: 'Ada', ...body }, headers);
}

async function registered(url: string, label: string, pw = password): Promise<string> {
  const email = uniqueEmail(label);
  const response = await register(url, { email, password: pw });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return email;
}

const login = (client: HttpClient, email: string, pw: string, headers?: Record<string, string>) =>
  client.post('/api/auth/login', { email, password: pw }, headers);

describe('registration rate limit per client address', () => {
  it('answers the 11th registration in an hour from one address with 429 and Retry-After; invalid requests do not count', async () => {
    const limited = await platform.startInstance({ REGISTER_RATE_LIMIT_PER_IP: '10' });
    // Without TRUST_PROXY, X-Forwarded-For is the client's own claim and changes nothing.
    const invalid = await register(limited.url, { email: uniqueEmail('r'), name: '\u200b' }, from('198.51.100.1'));
    expect(invalid.body.error.code).toBe('name_invalid');
    const taken = await registered(limited.url, 'taken');
    for (let i = 0; i < 8; i++) await registered(limited.url, 'r');
    // A taken email counts: it is how addresses are probed.
    expect((await register(limited.url, { email: taken }, anywhere())).status).toBe(409);

    const refused = await register(limited.url, { email: uniqueEmail('r') }, from('198.51.100.99'));
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(60);
    expect(retryAfter).toBeLessThanOrEqual(3_600);
  });

  it('counts by the X-Forwarded-For address when TRUST_PROXY is on', async () => {
    const proxied = await platform.startInstance({ REGISTER_RATE_LIMIT_PER_IP: '3', TRUST_PROXY: 'true' });
    for (let i = 0; i < 3; i++) expect((await register(proxied.url, { email: uniqueEmail('p') }, from('203.0.113.5'))).status).toBe(201);
    expect((await register(proxied.url, { email: uniqueEmail('p') }, from('203.0.113.5'))).status).toBe(429);
    expect((await register(proxied.url, { email: uniqueEmail('p') }, from('203.0.113.6'))).status).toBe(201);
  });
});

describe('login throttling per account', () => {
  let throttled: TestInstance;
  beforeAll(async () => {
    throttled = await platform.startInstance({
      LOGIN_THROTTLE_FAILURES: '10',
      LOGIN_THROTTLE_MAX_SECONDS: '100',
      LOGIN_RATE_LIMIT_PER_IP: '4',
      TRUST_PROXY: 'true',
    });
  });

  /** Ten wrong passwords, each from another address (the per-IP limit of 4 a minute never applies). */
  async function guessTenTimes(email: string, client = new HttpClient(throttled.url)) {
    for (let i = 0; i < 10; i++) {
      const guess = await login(client, email, `wrong guess ${i}`, anywhere());
      expect(guess.status, `guess ${i}`).toBe(401);
      expect(guess.body.error.code).toBe('invalid_credentials');
    }
  }

  async function bucketKey(email: string): Promise<string> {
    const { accountKey } = await findLoginCandidate(throttled.deps.db, email);
    return throttled.deps.loginThrottle.key({ account: accountTag(testSessionKey, accountKey) });
  }

  it('refuses the right password with 429 login_throttled after 10 failures from rotating addresses, while a browser with a device cookie still logs in', async () => {
    const email = await registered(throttled.url, 'victim');
    const owner = new HttpClient(throttled.url);
    expect((await login(owner, email, password, from('198.51.100.7'))).status).toBe(200);
    const device = owner.lastSetCookie.find((cookie) => cookie.startsWith('tk.device='))!;
    expect(device).toMatch(/httponly/i);
    expect(device).toMatch(/samesite=strict/i);
    expect(device).toMatch(/path=\/api\/auth\/login/i);
    expect(device).not.toContain(email);
    expect(owner.lastSetCookie.some((cookie) => cookie.startsWith('tk.device.sig='))).toBe(true);

    await guessTenTimes(email);
    const attacker = await login(new HttpClient(throttled.url), email, password, from('192.0.2.251'));
    expect(attacker.status).toBe(429);
    expect(attacker.body.error).toMatchObject({ code: 'login_throttled', details: { retryAfterSeconds: expect.any(Number) } });
    const wait = Number(attacker.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(30);

    // A forged device cookie is no way around it.
    const forger = new HttpClient(throttled.url);
    forger.cookies.set('tk.device', owner.cookies.get('tk.device')!);
    forger.cookies.set('tk.device.sig', 'forged-signature-000000000');
    expect((await login(forger, email, password, from('192.0.2.252'))).status).toBe(429);

    // The owner's browser counts in its own bucket: it logs in at once...
    expect((await login(owner, email, password, from('198.51.100.7'))).status).toBe(200);
    // ... and is limited itself.
    await guessTenTimes(email, owner);
    expect((await login(owner, email, password, from('198.51.100.7'))).body.error.code).toBe('login_throttled');

    // No email in any Redis key.
    const keys = await redisKeys(throttled.deps.redis, `${platform.keyPrefix}*`);
    expect(keys.some((key) => key.includes('login:{'))).toBe(true);
    expect(keys.filter((key) => key.includes('@'))).toEqual([]);
  });

  it('makes the wait grow with each further failure, up to LOGIN_THROTTLE_MAX_SECONDS', async () => {
    const email = await registered(throttled.url, 'growing');
    await guessTenTimes(email);
    const key = await bucketKey(email);
    const waits = [];
    for (let i = 0; i < 3; i++) {
      waits.push(Number((await login(new HttpClient(throttled.url), email, 'again wrong', from('192.0.2.9'))).headers.get('retry-after')));
      // The wait is over (without waiting): the next guess is let through, fails and blocks for longer.
      await throttled.deps.redis.hset(key, 'blocked', '0');
      expect((await login(new HttpClient(throttled.url), email, 'again wrong', from('192.0.2.10'))).status).toBe(401);
    }
    waits.push(Number((await login(new HttpClient(throttled.url), email, password, from('192.0.2.9'))).headers.get('retry-after')));
    // 30 s, 60 s, then 120 s capped at 100 s.
    expect(waits[0]).toBeLessThanOrEqual(30);
    expect(waits[1]).toBeGreaterThan(30);
    expect(waits[1]).toBeLessThanOrEqual(60);
    expect(waits[2]).toBeGreaterThan(60);
    expect(waits[2]).toBeLessThanOrEqual(100);
    expect(waits[3]).toBeLessThanOrEqual(100);
    expect(await throttled.deps.redis.pttl(key)).toBeGreaterThan(100_000);
  });

  it('starts counting afresh after a successful login', async () => {
    const email = await registered(throttled.url, 'reset');
    const client = new HttpClient(throttled.url);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 9; i++) expect((await login(new HttpClient(throttled.url), email, 'nope nope', anywhere())).status).toBe(401);
      expect((await login(client, email, password, from('198.51.100.30'))).status).toBe(200);
      client.cookies.clear();
    }
  });

  it('throttles unknown emails the same way, and every spelling of an address as one account', async () => {
    const unknown = uniqueEmail('nobody');
    await guessTenTimes(unknown);
    const refused = await login(new HttpClient(throttled.url), unknown, 'whatever1', from('192.0.2.60'));
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('login_throttled');

    // The database finds `Bücher@Exämple.de` for `bucher@example.de ` too (utf8mb4_unicode_ci): one bucket.
    const email = `bücher-${++counter}@exämple.de`;
    expect((await register(throttled.url, { email })).status).toBe(201);
    const spellings = [email.toUpperCase(), email.replace('ü', 'u').replace('ä', 'a'), ` ${email}  `, email.replace('@', '\u200b@')];
    for (let i = 0; i < 10; i++) {
      expect((await login(new HttpClient(throttled.url), spellings[i % spellings.length]!, 'wrong!!!', anywhere())).status).toBe(401);
    }
    expect((await login(new HttpClient(throttled.url), email, password, from('192.0.2.90'))).body.error.code).toBe('login_throttled');
  });

  it('counts only failed logins per address: successes and malformed requests do not spend the 4 per minute', async () => {
    const email = await registered(throttled.url, 'ip');
    const address = from('198.51.100.200');
    for (let i = 0; i < 5; i++) expect((await login(new HttpClient(throttled.url), email, password, address)).status).toBe(200);
    const malformed = await new HttpClient(throttled.url).post('/api/auth/login', { email }, address);
    expect(malformed.body.error.code).toBe('validation_failed');
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(new HttpClient(throttled.url), email, `bad ${i} password`, address)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });
});

describe('password hash concurrency', () => {
  it('answers 503 with Retry-After when every hash slot is taken and the queue is full, and serves again when one frees', async () => {
    const oneSlot = await platform.startInstance({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '0' });
    const email = await registered(oneSlot.url, 'slot');
    let release!: () => void;
    const held = oneSlot.deps.passwords.run(() => new Promise<void>((resolve) => (release = resolve)));

    const busyLogin = await login(new HttpClient(oneSlot.url), email, password);
    expect(busyLogin.status).toBe(503);
    expect(busyLogin.body.error.code).toBe('service_unavailable');
    expect(Number(busyLogin.headers.get('retry-after'))).toBeGreaterThan(0);
    const busyRegister = await register(oneSlot.url, { email: uniqueEmail('slot') });
    expect(busyRegister.status).toBe(503);
    expect(busyRegister.headers.get('retry-after')).toMatch(/^\d+$/);

    release();
    await held;
    expect((await login(new HttpClient(oneSlot.url), email, password)).status).toBe(200);
  });

  it('lets requests wait in a bounded queue', async () => {
    const queued = await platform.startInstance({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '1' });
    const email = await registered(queued.url, 'queue');
    let release!: () => void;
    const held = queued.deps.passwords.run(() => new Promise<void>((resolve) => (release = resolve)));
    const waiting = login(new HttpClient(queued.url), email, password);
    await vi.waitFor(() => expect(queued.deps.passwords.slots.queued).toBe(1));
    expect((await login(new HttpClient(queued.url), email, password)).status).toBe(503);
    release();
    await held;
    expect((await waiting).status).toBe(200);
  });
});

describe('the bounded semaphore', () => {
  it('serves waiters first come, first served, and gives up on one that waited longer than the limit', async () => {
    vi.useFakeTimers();
    try {
      const semaphore = new BoundedSemaphore(1, 2, 5_000);
      const release = await semaphore.acquire();
      const order: string[] = [];
      const first = semaphore.acquire().then((next) => (order.push('first'), next));
      const second = semaphore.acquire();
      await expect(semaphore.acquire()).rejects.toBeInstanceOf(SemaphoreBusy);
      release();
      release(); // a second call gives nothing back
      (await first)();
      (await second)();
      expect(order).toEqual(['first']);
      expect(semaphore.inUse).toBe(0);

      const held = await semaphore.acquire();
      const late = semaphore.acquire();
      vi.advanceTimersByTime(5_001);
      await expect(late).rejects.toBeInstanceOf(SemaphoreBusy);
      expect(semaphore.queued).toBe(0);
      held();
      expect(semaphore.inUse).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('constant work per login', () => {
  const atCost = (n: number) => plain.deps.passwords.derivations.get(n) ?? 0;
  async function work(attempt: () => Promise<unknown>): Promise<{ current: number; cheap: number }> {
    const before = { current: atCost(10), cheap: atCost(8) };
    await attempt();
    return { current: atCost(10) - before.current, cheap: atCost(8) - before.cheap };
  }
  const insertUser = async (email: string, hash: string) =>
    plain.deps.db.execute('INSERT INTO users (email, password_hash, name) VALUES (?, ?, ?)', [email, hash, 'Old']);

  it('spends one derivation at the current cost for an unknown email, a legacy bcrypt hash and a cheaper scrypt hash', async () => {
    const client = new HttpClient(plain.url);
    expect(await work(() => login(client, uniqueEmail('unknown'), 'some password'))).toEqual({ current: 1, cheap: 0 });

    const known = await registered(plain.url, 'current');
    expect(await work(() => login(client, known, 'some password'))).toEqual({ current: 1, cheap: 0 });

    const legacy = uniqueEmail('bcrypt');
    await insertUser(legacy, await bcrypt.hash('legacy password', 4));
    expect(await work(() => login(client, legacy, 'some password'))).toEqual({ current: 1, cheap: 0 });

    const cheap = uniqueEmail('cheap');
    await insertUser(cheap, await hashPassword('cheap password', 8));
    expect(await work(() => login(client, cheap, 'some password'))).toEqual({ current: 1, cheap: 1 });
    // The right password: one check at the old cost, one hash at the current cost that replaces it.
    expect(await work(async () => expect((await login(client, cheap, 'cheap password')).status).toBe(200))).toEqual({ current: 1, cheap: 1 });
    const [rows] = await plain.deps.db.execute('SELECT password_hash AS hash FROM users WHERE email = ?', [cheap]);
    expect((rows as { hash: string }[])[0]!.hash).toMatch(/^scrypt\$10\$/);
  });
});

describe('new passwords', () => {
  it.each([
    ['password', 'password_common'],
    ['12345678', 'password_common'],
    ['PassWord1', 'password_common'],
    // NFKC: full-width letters are the common password they look like.
    ['ｐａｓｓｗｏｒｄ１２３', 'password_common'],
    ['\u0000'.repeat(8), 'password_invalid'],
    ['tab\there long', 'password_invalid'],
    ['line\nbreak long', 'password_invalid'],
    ['\u001b[31mred text', 'password_invalid'],
    ['lone \ud800 surrogate', 'password_invalid'],
  ])('refuses %j with %s', async (pw, code) => {
    const response = await register(plain.url, { email: uniqueEmail('pw'), password: pw });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(code);
  });

  it('counts characters as code points and accepts spaces and any printable Unicode', async () => {
    const short = await register(plain.url, { email: uniqueEmail('pw'), password: '😀😀😀😀' });
    expect(short.body.error.code).toBe('validation_failed');
    for (const pw of ['😀😀😀😀😀😀😀😀', '        spaces  ', 'пароль надёжный', 'x'.repeat(256)]) {
      const email = await registered(plain.url, 'pw', pw);
      expect((await login(new HttpClient(plain.url), email, pw)).status).toBe(200);
    }
    expect((await register(plain.url, { email: uniqueEmail('pw'), password: 'x'.repeat(257) })).body.error.code).toBe('validation_failed');
  });

  it('hashes NFKC, and still accepts (then replaces) a hash made of the password as sent', async () => {
    const email = await registered(plain.url, 'nfkc', 'ｆｉｓｈ and ﬁsh chips');
    expect((await login(new HttpClient(plain.url), email, 'fish and fish chips')).status).toBe(200);

    const old = uniqueEmail('raw');
    const raw = 'ﬁsh ｔａｃｏ night';
    const salt = Buffer.alloc(16, 7);
    const key = await scryptDerive(raw, salt, 10);
    const rawHash = `scrypt$10$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    await plain.deps.db.execute('INSERT INTO users (email, password_hash, name) VALUES (?, ?, ?)', [old, rawHash, 'Raw']);
    expect((await login(new HttpClient(plain.url), old, raw)).status).toBe(200);
    const [rows] = await plain.deps.db.execute('SELECT password_hash AS hash FROM users WHERE email = ?', [old]);
    expect((rows as { hash: string }[])[0]!.hash).not.toBe(rawHash);
    expect((await login(new HttpClient(plain.url), old, raw)).status).toBe(200);
    expect((await login(new HttpClient(plain.url), old, 'fish taco night')).status).toBe(200);
  });
});

describe('names and emails', () => {
  it.each([
    ['NUL', 'Ada\u0000', 'control_character'],
    ['ESC', '\u001b[2JAda', 'control_character'],
    ['CR LF', 'Ada\r\nSet-Cookie: x', 'control_character'],
    ['TAB', 'Ada\tLovelace', 'control_character'],
    ['C1', 'Ada\u0085', 'control_character'],
    ['line separator', 'Ada\u2028Lovelace', 'control_character'],
    ['right-to-left override', 'Ada\u202egnp.exe', 'bidi_control'],
    ['isolate', '\u2066Ada\u2069', 'bidi_control'],
    ['left-to-right mark', 'Ada\u200e', 'bidi_control'],
    ['spaces only', '     ', 'invisible'],
    ['no-break and ideographic spaces', '\u00a0\u3000', 'invisible'],
    ['zero-width only', '\u200b\u200c\u200d\u2060\ufeff', 'invisible'],
    ['a combining mark on nothing', '\u0301\u0301', 'invisible'],
    ['Hangul filler', '\u3164', 'invisible'],
  ])('refuses a name with %s', async (_what, name, reason) => {
    const response = await register(plain.url, { email: uniqueEmail('name'), name });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'name_invalid', details: { reason } });
  });

  it('stores names trimmed and NFC, keeping joiners that real names and emoji need', async () => {
    for (const [name, stored] of [
      ['  Zoe\u0308 ', 'Zoë'],
      ['محمد\u200cرضا', 'محمد\u200cرضا'],
      ['👩\u200d💻 Dev', '👩\u200d💻 Dev'],
    ]) {
      const response = await register(plain.url, { email: uniqueEmail('name'), name: name! });
      expect(response.status).toBe(201);
      expect(response.body.user.name).toBe(stored);
    }
  });

  it.each([
    ['a NUL', 'ada\u0000@test.local', 'control_character'],
    ['a right-to-left override', 'ada\u202e@test.local', 'control_character'],
    ['a zero-width space', 'ada\u200b@test.local', 'control_character'],
    ['a space', 'ada lovelace@test.local', 'format'],
    ['no @', 'ada.test.local', 'format'],
    ['two @', 'ada@lovelace@test.local', 'format'],
    ['no dot in the domain', 'ada@localhost', 'format'],
    ['an IP literal', 'ada@[127.0.0.1]', 'format'],
    ['a bad label', 'ada@-test.local', 'format'],
    ['a long local part', `${'a'.repeat(65)}@test.local`, 'too_long'],
  ])('refuses an email with %s', async (_what, email, reason) => {
    const response = await register(plain.url, { email });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'email_invalid', details: { reason } });
  });

  it('registers internationalised emails, normalised, and logs them in', async () => {
    for (const [email, stored] of [
      [`Bu\u0308cher-${++counter}@Exa\u0308mple.de`, `bücher-${counter}@exämple.de`],
      [`用户${++counter}@例子。广告`, `用户${counter}@例子.广告`],
    ]) {
      const response = await register(plain.url, { email: email! });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.body.user.email).toBe(stored);
      const client = new HttpClient(plain.url);
      expect((await login(client, email!, password)).status).toBe(200);
      expect((await client.get('/api/me')).body.user.email).toBe(stored);
      expect((await login(new HttpClient(plain.url), stored!, password)).status).toBe(200);
    }
  });
});
