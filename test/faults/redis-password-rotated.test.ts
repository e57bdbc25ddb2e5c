import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAclRules } from '../../shared/redis-acl.ts';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn } from '../support/http-client.ts';
import { LocalSecretsManager } from '../support/secrets-manager.ts';
import { insertBuyers, logInAll, type Buyer } from './support/buyers.ts';
import { checkLedger } from './support/ledger.ts';
import { runSpike, type SpikeResult } from './support/spike.ts';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const user = `tk-api-${randomBytes(3).toString('hex')}`;
const oldPassword = randomBytes(16).toString('hex');
const newPassword = randomBytes(16).toString('hex');
const section = [{ name: 'Front', rows: 4, seatsPerRow: 25, priceCents: 9_000 }];

let platform: TestPlatform;
let secrets: LocalSecretsManager;
let admin: Redis;
let secretArn: string;
let instances: TestInstance[];
let organizerClient: HttpClient;
let buyers: Buyer[];

beforeAll(async () => {
  admin = new Redis(redisUrl);
  platform = await createTestPlatform();
  secrets = await LocalSecretsManager.start();
  await admin.call('ACL', 'SETUSER', user, 'reset', `>${oldPassword}`, ...apiAclRules(platform.keyPrefix).split(' '));
  // As the ElastiCache AUTH token secret holds it today: the password alone.
  secretArn = secrets.create(`ticketkit/redis-${user}`, oldPassword);
  const url = new URL(redisUrl);
  url.username = user;
  const env = { REDIS_URL: url.href, REDIS_SECRET_ARN: secretArn, SECRETS_MANAGER_ENDPOINT: secrets.endpoint };
  instances = [await platform.startInstance(env), await platform.startInstance(env)];
  organizerClient = new HttpClient(instances[0]!.url);
  await logIn(organizerClient, organizer.email, organizer.password);
  buyers = await insertBuyers(platform.database.url, 40);
  await logInAll(buyers, instances[0]!.url);
});
afterAll(async () => {
  await platform?.stop();
  await admin?.call('ACL', 'DELUSER', user);
  admin?.disconnect();
  await secrets?.close();
});

/** Failed AUTHs of our user recorded in ACL LOG (identical entries are counted in one). */
async function authFailures(): Promise<number> {
  const entries = (await admin.call('ACL', 'LOG', '1000')) as unknown[][];
  return entries
    .map((entry) => Object.fromEntries(Array.from({ length: entry.length / 2 }, (_, i) => [entry[2 * i], entry[2 * i + 1]])) as Record<string, unknown>)
    .filter((entry) => entry.username === user && entry.reason === 'auth')
    .reduce((sum, entry) => sum + Number(entry.count), 0);
}

const failures = (spike: SpikeResult) =>
  spike.answers.filter((answer) => answer.status === 0 || answer.status >= 500).map(({ step, status, code, error }) => ({ step, status, code, error }));

describe('the Redis password rotated while an on-sale spike runs', () => {
  it('fails no request, and reconnections afterwards authenticate with the new password', async ({ annotate }) => {
    const urls = instances.map((instance) => instance.url);
    const first = await createEvent(organizerClient, section);
    let rotated: Promise<void> | undefined;
    // Rotation adds the new password, publishes it, and only then removes the old one (Redis never
    // re-checks open connections, so both steps are invisible to connections already open).
    const rotate = async () => {
      await admin.call('ACL', 'SETUSER', user, `>${newPassword}`);
      secrets.stagePending(secretArn, newPassword);
      secrets.promotePending(secretArn);
      await admin.call('ACL', 'SETUSER', user, `<${oldPassword}`);
    };
    const during = await runSpike({
      buyers, eventId: first.eventId, seatIds: first.seatIds, instances: () => urls, deadline: Date.now() + 30_000,
      onAnswer: (answer) => {
        if (answer.step === 'purchase' && answer.status === 201) rotated ??= rotate();
      },
    });
    await rotated;
    expect(failures(during)).toEqual([]);

    // Every connection of the user dropped (a failover, a node replacement): each instance reconnects. Its
    // cached password is the old one, refused (WRONGPASS); the secret is read again and the next attempt works.
    const readsBefore = secrets.readsOf(secretArn).AWSCURRENT;
    const reconnected = instances.map(({ deps: { redis } }) => new Promise((resolve) => redis.once('close', () => redis.once('ready', resolve))));
    await admin.call('CLIENT', 'KILL', 'USER', user);
    await Promise.all(reconnected);
    for (const url of urls) expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(secrets.readsOf(secretArn).AWSCURRENT).toBeGreaterThan(readsBefore);
    const refused = await authFailures();
    expect(refused).toBeGreaterThan(0);

    const second = await createEvent(organizerClient, section);
    const after = await runSpike({ buyers, eventId: second.eventId, seatIds: second.seatIds, instances: () => urls, deadline: Date.now() + 30_000 });
    expect(failures(after)).toEqual([]);
    for (const [event, spike] of [[first, during], [second, after]] as const) {
      const ledger = await checkLedger(platform.database.url, event.eventId, spike.sales);
      expect(ledger).toMatchObject({ seatsSoldTwice: 0, salesWithoutOrder: 0, ordersTwice: 0 });
      expect(ledger.seatsSold).toBe(section[0]!.rows * section[0]!.seatsPerRow);
    }
    await annotate(
      `${during.answers.length} requests during the rotation and ${after.answers.length} after the reconnect, ` +
      `${failures(during).length + failures(after).length} failed; ${refused} reconnect attempt(s) refused with the cached old password before the re-read`,
    );
  });
});
