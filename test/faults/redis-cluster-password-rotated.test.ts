import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAclRules } from '../../shared/redis-acl.ts';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';
import { LocalRedisCluster } from '../support/redis-cluster.ts';
import { LocalSecretsManager } from '../support/secrets-manager.ts';
import { waitUntil } from '../support/wait.ts';

const user = `tk-api-${randomBytes(3).toString('hex')}`;
const oldPassword = randomBytes(16).toString('hex');
const newPassword = randomBytes(16).toString('hex');

let cluster: LocalRedisCluster;
let platform: TestPlatform;
let secrets: LocalSecretsManager;
/** Each node as its administrator: ACL users, ACL LOG and client lists are per node. */
let admins: Redis[];
let secretArn: string;
let api: TestInstance;

const onEveryNode = (...args: string[]) => Promise.all(admins.map((admin) => admin.call('ACL', ...args)));

beforeAll(async () => {
  cluster = await LocalRedisCluster.start();
  admins = cluster.ports.map((port) => new Redis({ port, host: '127.0.0.1' }));
  secrets = await LocalSecretsManager.start();
  const url = new URL(cluster.url);
  url.username = user;
  platform = await createTestPlatform({ REDIS_URL: url.href, REDIS_MODE: 'cluster' });
  await onEveryNode('SETUSER', user, 'reset', `>${oldPassword}`, ...apiAclRules(platform.keyPrefix).split(' '));
  secretArn = secrets.create(`ticketkit/redis-${user}`, oldPassword);
  api = await platform.startInstance({ REDIS_SECRET_ARN: secretArn, SECRETS_MANAGER_ENDPOINT: secrets.endpoint });
});
afterAll(async () => {
  await platform?.stop();
  for (const admin of admins ?? []) admin.disconnect();
  await cluster?.close();
  await secrets?.close();
});

async function authFailures(): Promise<number> {
  const entries = (await Promise.all(admins.map((admin) => admin.call('ACL', 'LOG', '1000')))).flat() as unknown[][];
  return entries
    .map((entry) => Object.fromEntries(Array.from({ length: entry.length / 2 }, (_, i) => [entry[2 * i], entry[2 * i + 1]])) as Record<string, unknown>)
    .filter((entry) => entry.username === user && entry.reason === 'auth')
    .reduce((sum, entry) => sum + Number(entry.count), 0);
}

describe('the Redis password rotated on a cluster (REDIS_SECRET_ARN, REDIS_MODE=cluster)', () => {
  it('authenticates every node connection from the secret, and after a rotation and dropped connections re-reads it and serves again', async () => {
    const organizerClient = new HttpClient(api.url);
    await logIn(organizerClient, organizer.email, organizer.password);
    const { eventId, seatIds } = await createEvent(organizerClient);
    const { client: buyer } = await newBuyer(api.url, 'rotation');
    expect((await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[0]!] })).status).toBe(201);
    const clients = (await Promise.all(admins.map((admin) => admin.call('CLIENT', 'LIST')))).join('\n').split('\n').filter((line) => line.includes(` user=${user} `));
    expect(clients.length, 'node connections made as the secret\'s user').toBeGreaterThan(0);

    // Rotation as on ElastiCache: the new password added, published, the old one removed; then every connection drops.
    await onEveryNode('SETUSER', user, `>${newPassword}`);
    secrets.stagePending(secretArn, newPassword);
    secrets.promotePending(secretArn);
    await onEveryNode('SETUSER', user, `<${oldPassword}`);
    const readsBefore = secrets.readsOf(secretArn).AWSCURRENT;
    await Promise.all(admins.map((admin) => admin.call('CLIENT', 'KILL', 'USER', user)));

    // New node connections present the cached old password (refused), the secret is read again, and holds work again.
    let next = 1;
    await waitUntil('a hold granted after the rotation', async () => (await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[next++]!] })).status === 201, 20_000, 100);
    expect(await authFailures()).toBeGreaterThan(0);
    expect(secrets.readsOf(secretArn).AWSCURRENT).toBeGreaterThan(readsBefore);
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
    const hold = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[next]!] });
    expect(hold.status).toBe(201);
  });
});
