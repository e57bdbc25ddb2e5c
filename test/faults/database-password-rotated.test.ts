import { randomBytes } from 'node:crypto';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiUserStatements } from '../../shared/mysql-api-user.ts';
import { createTestPlatform, organizer, type TestPlatform } from '../support/api.ts';
import { testServerUrl } from '../support/database.ts';
import { createEvent, HttpClient, logIn } from '../support/http-client.ts';
import { LocalSecretsManager } from '../support/secrets-manager.ts';
import { startApiProcess, type ApiProcess } from './support/api-process.ts';
import { insertBuyers, logInAll, type Buyer } from './support/buyers.ts';
import { checkLedger } from './support/ledger.ts';
import { runSpike, type Recorded, type SpikeResult } from './support/spike.ts';

const user = `tk_api_${randomBytes(3).toString('hex')}`;
const oldPassword = `old-${randomBytes(8).toString('hex')}`;
const newPassword = `new-${randomBytes(8).toString('hex')}`;

let platform: TestPlatform;
let secrets: LocalSecretsManager;
let admin: mysql.Connection;
let secretArn: string;
let env: Record<string, string>;
const processes: ApiProcess[] = [];
let eventId: number;
let seatIds: number[];
let buyers: Buyer[];

beforeAll(async () => {
  platform = await createTestPlatform();
  secrets = await LocalSecretsManager.start();
  admin = await mysql.createConnection(testServerUrl);
  // The API's own user, with privileges on its schema only (the statements the CDK's custom resource runs).
  for (const statement of apiUserStatements({ user, database: platform.database.name, auth: { password: oldPassword }, flavor: 'mariadb', requireTls: false })) {
    await admin.query(statement);
  }
  secretArn = secrets.create(`ticketkit/api-db-${user}`, JSON.stringify({ username: user, password: oldPassword }));
  env = {
    ...platform.env,
    // Host, port and schema only: the user and password come from the secret, read at each new connection.
    DATABASE_URL: `mysql://127.0.0.1:3306/${platform.database.name}`,
    DATABASE_SECRET_ARN: secretArn,
    SECRETS_MANAGER_ENDPOINT: secrets.endpoint,
  };
  processes.push(...(await Promise.all([startApiProcess(env), startApiProcess(env)])));
  const organizerClient = new HttpClient(processes[0]!.url);
  await logIn(organizerClient, organizer.email, organizer.password);
  ({ eventId, seatIds } = await createEvent(organizerClient, [{ name: 'Front', rows: 6, seatsPerRow: 25, priceCents: 9_000 }]));
  buyers = await insertBuyers(platform.database.url, 60);
  await logInAll(buyers, processes[0]!.url);
});
afterAll(async () => {
  await Promise.all(processes.map((process) => process.kill('SIGKILL')));
  await admin?.query(`DROP USER IF EXISTS ?@'%'`, [user]);
  await admin?.end();
  await secrets?.close();
  await platform?.stop();
});

/** Connections the API user has open now, by processlist id (ids only grow: a higher id is a newer connection). */
async function apiConnectionIds(): Promise<number[]> {
  const [rows] = await admin.query<RowDataPacket[]>('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ?', [user]);
  return rows.map((row) => Number(row.id));
}

describe('the database password rotated while an on-sale spike runs', () => {
  it('answers every request (no 5xx, no dropped request): new connections follow the secret, open ones keep working', async ({ annotate }) => {
    const urls = processes.map((process) => process.url);
    const rotation: { lastIdBefore?: number; scaledOut?: ApiProcess; done?: Promise<void> } = {};
    let waveB: Promise<SpikeResult> | undefined;
    const deadline = Date.now() + 45_000;

    // The rotation as Secrets Manager's single-user rotation runs it, while buyers keep buying.
    const rotate = async () => {
      rotation.lastIdBefore = Math.max(0, ...(await apiConnectionIds()));
      secrets.stagePending(secretArn, JSON.stringify({ username: user, password: newPassword })); // createSecret
      await admin.query(`ALTER USER ?@'%' IDENTIFIED BY ?`, [user, newPassword]); // setSecret
      // Between setSecret and finishSecret every new connection is refused with AWSCURRENT's password. Force
      // new connections now: 52 more buyers (the pools grow) and one more instance (a scale-out).
      waveB = runSpike({ buyers: buyers.slice(8), eventId, seatIds, instances: () => urls, deadline });
      rotation.scaledOut = await startApiProcess(env);
      processes.push(rotation.scaledOut);
      urls.push(rotation.scaledOut.url);
      secrets.promotePending(secretArn); // finishSecret
    };
    const waveA = await runSpike({
      buyers: buyers.slice(0, 8),
      eventId,
      seatIds,
      instances: () => urls,
      deadline,
      onAnswer: (answer) => {
        if (answer.step === 'purchase' && answer.status === 201) rotation.done ??= rotate();
      },
    });
    await rotation.done;
    const spikeB = await waveB!;
    const answers: Recorded[] = [...waveA.answers, ...spikeB.answers];

    const failed = answers.filter((answer) => answer.status === 0 || answer.status >= 500);
    expect(failed.map(({ step, status, code, error, url }) => ({ step, status, code, error, url }))).toEqual([]);
    const sales = [...waveA.sales, ...spikeB.sales];
    const ledger = await checkLedger(platform.database.url, eventId, sales);
    expect(ledger).toMatchObject({ seatsSoldTwice: 0, salesWithoutOrder: 0, ordersTwice: 0 });
    expect(ledger.orders).toBe(sales.length);
    expect(spikeB.sales.length).toBeGreaterThan(0);

    // It was a real rotation: connections opened after ALTER USER authenticated with the new password,
    // after being refused with the old one (AWSPENDING was read), and the connections from before still serve.
    const ids = await apiConnectionIds();
    const newer = ids.filter((id) => id > rotation.lastIdBefore!);
    const older = ids.filter((id) => id <= rotation.lastIdBefore!);
    expect(newer.length).toBeGreaterThan(0);
    const reads = secrets.readsOf(secretArn);
    expect(reads.AWSPENDING).toBeGreaterThan(0);
    expect((await fetch(`${rotation.scaledOut!.url}/readyz`)).status).toBe(200);
    await annotate(
      `${answers.length} requests (${sales.length} purchases), ${failed.length} failed; ` +
      `${newer.length} connections opened after the password change, ${older.length} from before still open; ` +
      `secret reads: AWSCURRENT ${reads.AWSCURRENT}, AWSPENDING ${reads.AWSPENDING}`,
    );
  });
});
