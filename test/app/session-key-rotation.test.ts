import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/api.ts';
import { HttpClient, newBuyer } from '../support/http-client.ts';

const oldKey = 'old-session-key-0123456789abcdef0123456789';
const newKey = 'new-session-key-0123456789abcdef0123456789';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await createTestPlatform({ SESSION_KEYS: oldKey });
});
afterAll(() => platform.stop());

describe('rotating SESSION_KEYS while serving', () => {
  it('keeps sessions signed with the old key when a new key is prepended, re-signs them with it, and drops the old key safely later', async () => {
    const before = await platform.startInstance();
    const { client: buyer } = await newBuyer(before.url, 'rotation');
    const oldCookies = new Map(buyer.cookies);

    // Step 1 of the rotation: the new key first, the old one still accepted (instances roll over one by one).
    const rolling = await platform.startInstance({ SESSION_KEYS: `${newKey},${oldKey}` });
    buyer.baseUrl = rolling.url;
    expect((await buyer.get('/api/me')).status).toBe(200);
    expect(buyer.cookies.get('tk.sid.sig'), 'the signature is renewed with the new key').not.toBe(oldCookies.get('tk.sid.sig'));
    // An instance not yet rolled over still accepts the old signature.
    const stale = new HttpClient(before.url);
    for (const [name, value] of oldCookies) stale.cookies.set(name, value);
    expect((await stale.get('/api/me')).status).toBe(200);

    // Step 2: the old key removed. A browser seen since step 1 carries the new signature and stays signed in;
    // a cookie still signed with the old key only is treated as no session (401, never a 5xx).
    const after = await platform.startInstance({ SESSION_KEYS: newKey });
    buyer.baseUrl = after.url;
    expect((await buyer.get('/api/me')).status).toBe(200);
    const unseen = new HttpClient(after.url);
    for (const [name, value] of oldCookies) unseen.cookies.set(name, value);
    expect((await unseen.get('/api/me')).status).toBe(401);
  });
});
