import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestInstance, type TestPlatform } from '../support/api.ts';
import { HttpClient, logIn, newBuyer } from '../support/http-client.ts';
import { freePort, waitUntil } from '../support/wait.ts';

let platform: TestPlatform;
let instance: TestInstance;

beforeAll(async () => {
  platform = await createTestPlatform();
  instance = await platform.startInstance();
});
afterAll(() => platform.stop());

function sessionCookie(setCookie: string[]): string | undefined {
  return setCookie.find((cookie) => cookie.startsWith('tk.sid='));
}

/** A second API instance in its own process (bin/api), on the same MySQL, Redis and bucket. */
async function startProcessInstance(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('bin/api', { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil('the second instance to become ready', () => fetch(`${url}/readyz`).then((r) => r.status === 200, () => false), 60_000, 100);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { url, child };
}

describe('accounts', () => {
  it('registers without logging in, refuses a taken email, and logs in and out', async () => {
    const client = new HttpClient(instance.url);
    const email = `Reg-${Date.now()}@Test.Local`;
    const registered = await client.post('/api/auth/register', { email, password: 'a long password', name: 'Ada' });
    expect(registered.status).toBe(201);
    expect(registered.body.user).toEqual({ id: expect.any(Number), email: email.toLowerCase(), name: 'Ada', role: 'buyer' });
    expect((await client.get('/api/me')).status).toBe(401);

    const again = await client.post('/api/auth/register', { email: email.toLowerCase(), password: 'another password', name: 'Eve' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');

    const wrong = await client.post('/api/auth/login', { email, password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const unknown = await client.post('/api/auth/login', { email: 'nobody@test.local', password: 'whatever1' });
    expect(unknown.body.error.code).toBe('invalid_credentials');

    await logIn(client, email, 'a long password');
    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: registered.body.user.id, email: email.toLowerCase() });

    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expect((await client.get('/api/me')).body.error.code).toBe('unauthenticated');
  });

  it('keeps the session out of the instance: a cookie from one instance works on another process', async () => {
    const { client, userId } = await newBuyer(instance.url);
    const second = await startProcessInstance(platform.env);
    try {
      const elsewhere = new HttpClient(second.url);
      for (const [name, value] of client.cookies) elsewhere.cookies.set(name, value);
      const me = await elsewhere.get('/api/me');
      expect(me.status).toBe(200);
      expect(me.body.user.id).toBe(userId);
      // Logging out on the second instance ends the session everywhere.
      expect((await elsewhere.post('/api/auth/logout')).status).toBe(204);
      expect((await client.get('/api/me')).status).toBe(401);
    } finally {
      second.child.kill('SIGTERM');
      await once(second.child, 'exit');
    }
  });

  it('regenerates the session id at login, so a session id known before login is worthless after it', async () => {
    const { client, email } = await newBuyer(instance.url);
    const before = client.cookies.get('tk.sid');
    expect(before).toBeDefined();
    const known = new Map(client.cookies);

    await logIn(client, email, 'correct horse battery');
    expect(client.cookies.get('tk.sid')).toBeDefined();
    expect(client.cookies.get('tk.sid')).not.toBe(before);
    expect((await client.get('/api/me')).status).toBe(200);

    // Whoever held the earlier session id (fixation, a shared computer) is not logged in by it.
    const other = new HttpClient(instance.url);
    for (const [name, value] of known) other.cookies.set(name, value);
    expect((await other.get('/api/me')).status).toBe(401);
  });

  it('sets the session cookie httpOnly and SameSite, and Secure only over HTTPS', async () => {
    const { client } = await newBuyer(instance.url);
    const plain = sessionCookie(client.lastSetCookie)!;
    expect(plain).toMatch(/httponly/i);
    expect(plain).toMatch(/samesite=lax/i);
    expect(plain).not.toMatch(/secure/i);

    // Without TRUST_PROXY a forged X-Forwarded-Proto changes nothing.
    const email = (await client.get('/api/me')).body.user.email as string;
    const forged = new HttpClient(instance.url);
    await forged.post('/api/auth/login', { email, password: 'correct horse battery' }, { 'X-Forwarded-Proto': 'https' });
    expect(sessionCookie(forged.lastSetCookie)).not.toMatch(/secure/i);

    const proxied = await platform.startInstance({ TRUST_PROXY: 'true' });
    const behindAlb = new HttpClient(proxied.url);
    const response = await behindAlb.post('/api/auth/login', { email, password: 'correct horse battery' }, { 'X-Forwarded-Proto': 'https' });
    expect(response.status).toBe(200);
    expect(sessionCookie(behindAlb.lastSetCookie)).toMatch(/;\s*secure/i);
  });

  it('accepts the monolith\'s bcrypt hashes and replaces them with scrypt at login', async () => {
    const bcrypt = (await import('bcryptjs')).default;
    const legacyHash = await bcrypt.hash('legacy password', 4);
    const email = `legacy-${Date.now()}@test.local`;
    await instance.deps.db.execute('INSERT INTO users (email, password_hash, name) VALUES (?, ?, ?)', [email, legacyHash, 'Legacy']);

    const client = new HttpClient(instance.url);
    await logIn(client, email, 'legacy password');
    const [rows] = await instance.deps.db.execute('SELECT password_hash AS hash FROM users WHERE email = ?', [email]);
    const hash = (rows as { hash: string }[])[0]!.hash;
    expect(hash).toMatch(/^scrypt\$10\$/);

    const again = new HttpClient(instance.url);
    await logIn(again, email, 'legacy password');
    expect((await again.post('/api/auth/login', { email, password: 'wrong one' })).status).toBe(401);
  });
});
