import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiUserDependencies, ApiUserProperties, SecretStage } from '../../constructs/lambda/mysql-api-user/apply-api-user.ts';
import type { CustomResourceEvent, CustomResourceResponse } from '../../constructs/lambda/mysql-api-user/custom-resource-event.ts';
import { handleRequest } from '../../constructs/lambda/mysql-api-user/index.ts';
import { createTestDatabase, testServerUrl, uniqueName, type TestDatabase } from '../support/database.ts';

// The DatabaseApiUser custom resource's handler, run as Lambda would run it but against the local MariaDB:
// the same statements (shared/mysql-api-user.ts), password-identified here since MariaDB has no
// AWSAuthenticationPlugin, and its answer PUT to a local server standing in for CloudFormation's URL.

const server = new URL(testServerUrl);
const masterArn = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:master-AbCdEf';
const userSecretArn = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:api-user-AbCdEf';

let database: TestDatabase;
let other: TestDatabase;
let responses: Server;
let responseUrl: string;
const received: { body: CustomResourceResponse; contentType: string | undefined }[] = [];
const createdUsers: string[] = [];

/** Secrets by ARN and stage, as Secrets Manager would answer. */
function secretsOf(values: Record<string, Partial<Record<SecretStage, string>>>): ApiUserDependencies['readSecret'] {
  return async (arn, stage) => values[arn]?.[stage];
}

const localConnect: ApiUserDependencies['connect'] = ({ host, port, user, password }) => mysql.createConnection({ host, port, user, password });

function event(requestType: CustomResourceEvent<ApiUserProperties>['RequestType'], properties: Partial<ApiUserProperties>): CustomResourceEvent<ApiUserProperties> {
  return {
    RequestType: requestType,
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Test/1',
    RequestId: uniqueName('req'),
    LogicalResourceId: 'DatabaseApiUser',
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'existing-id' }),
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:handler',
      MasterSecretArn: masterArn,
      Host: server.hostname,
      Port: server.port || '3306',
      Database: database.name,
      User: 'unset',
      Authentication: userSecretArn,
      Flavor: 'mariadb',
      RequireTls: 'false',
      ...properties,
    },
  };
}

async function lastResponse(): Promise<(typeof received)[number]> {
  expect(received.length).toBeGreaterThan(0);
  return received.at(-1)!;
}

async function adminQuery<T extends RowDataPacket[]>(sql: string, values: unknown[] = []): Promise<T> {
  const admin = await mysql.createConnection(testServerUrl);
  try {
    return (await admin.query<T>(sql, values))[0];
  } finally {
    await admin.end();
  }
}

function newUserName(): string {
  const name = uniqueName('tkapi').slice(0, 32);
  createdUsers.push(name);
  return name;
}

const master = { username: decodeURIComponent(server.username) || 'root', password: decodeURIComponent(server.password) };

beforeAll(async () => {
  database = await createTestDatabase('tk_cr_user');
  other = await createTestDatabase('tk_cr_other');
  responses = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk));
    request.on('end', () => {
      received.push({ body: JSON.parse(body) as CustomResourceResponse, contentType: request.headers['content-type'] });
      response.end();
    });
  });
  await new Promise<void>((resolve) => responses.listen(0, '127.0.0.1', resolve));
  responseUrl = `http://127.0.0.1:${(responses.address() as AddressInfo).port}/response?signature=x`;
});

afterAll(async () => {
  for (const user of [...createdUsers, 'tk_cr_admin']) await adminQuery(`DROP USER IF EXISTS '${user}'@'%'`).catch(() => undefined);
  await database?.drop();
  await other?.drop();
  await new Promise((resolve) => responses?.close(resolve));
});

describe('the API user custom resource handler (local MariaDB)', () => {
  it('creates the user with privileges on its schema only, runs the admin statements, and answers SUCCESS', async () => {
    const user = newUserName();
    const deps = { readSecret: secretsOf({ [masterArn]: { AWSCURRENT: JSON.stringify(master) }, [userSecretArn]: { AWSCURRENT: JSON.stringify({ username: user, password: 'first-password-1' }) } }), connect: localConnect };
    await handleRequest(event('Create', { User: user, AdminStatements: [`CREATE TABLE IF NOT EXISTS \`${database.name}\`.admin_marker (id INT)`] }), deps);

    const { body, contentType } = await lastResponse();
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `${user}@${server.hostname}/${database.name}`, Data: { User: user }, LogicalResourceId: 'DatabaseApiUser' });
    // S3 pre-signed URLs are signed without a content type.
    expect(contentType).toBe('');
    expect(await adminQuery(`SHOW TABLES FROM \`${database.name}\` LIKE 'admin_marker'`)).toHaveLength(1);

    const asUser = await mysql.createConnection({ host: server.hostname, port: Number(server.port || 3306), user, password: 'first-password-1', database: database.name });
    try {
      await asUser.query('CREATE TABLE ledger_probe (id INT PRIMARY KEY)');
      await asUser.query('INSERT INTO ledger_probe VALUES (1)');
      expect((await asUser.query<RowDataPacket[]>('SELECT id FROM ledger_probe'))[0]).toEqual([{ id: 1 }]);
      await expect(asUser.query(`CREATE TABLE \`${other.name}\`.t (id INT)`)).rejects.toMatchObject({ code: 'ER_TABLEACCESS_DENIED_ERROR' });
      await expect(asUser.query('SELECT user FROM mysql.user')).rejects.toMatchObject({ code: 'ER_TABLEACCESS_DENIED_ERROR' });
      await expect(asUser.query(`DROP DATABASE \`${database.name}\``)).rejects.toMatchObject({ code: 'ER_DBACCESS_DENIED_ERROR' });
    } finally {
      await asUser.end();
    }
  });

  it('runs again on Update without error (idempotent), keeps a rotated password, and leaves the user on Delete', async () => {
    const user = newUserName();
    const secrets = { [masterArn]: { AWSCURRENT: JSON.stringify(master) }, [userSecretArn]: { AWSCURRENT: 'plain-password-1' } };
    const deps = { readSecret: secretsOf(secrets), connect: localConnect };
    await handleRequest(event('Create', { User: user }), deps);
    // A rotation changed the password since: an Update must not put the old one back.
    await adminQuery(`ALTER USER '${user}'@'%' IDENTIFIED BY 'rotated-password-2'`);
    await handleRequest(event('Update', { User: user }), deps);
    await handleRequest(event('Update', { User: user }), deps);
    expect(received.slice(-3).map((r) => r.body.Status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    const login = await mysql.createConnection({ host: server.hostname, port: Number(server.port || 3306), user, password: 'rotated-password-2', database: database.name });
    await login.end();

    await handleRequest(event('Delete', { User: user }), deps);
    expect((await lastResponse()).body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'existing-id' });
    expect(await adminQuery(`SELECT user FROM mysql.user WHERE user = ?`, [user])).toHaveLength(1);
  });

  it('signs in with AWSPENDING when the master secret is mid-rotation and AWSCURRENT is refused', async () => {
    await adminQuery("CREATE USER IF NOT EXISTS 'tk_cr_admin'@'%' IDENTIFIED BY 'new-master-password'");
    await adminQuery("GRANT ALL PRIVILEGES ON *.* TO 'tk_cr_admin'@'%' WITH GRANT OPTION");
    const user = newUserName();
    const deps = {
      readSecret: secretsOf({
        [masterArn]: { AWSCURRENT: JSON.stringify({ username: 'tk_cr_admin', password: 'old-master-password' }), AWSPENDING: JSON.stringify({ username: 'tk_cr_admin', password: 'new-master-password' }) },
        [userSecretArn]: { AWSCURRENT: 'a-password-3' },
      }),
      connect: localConnect,
    };
    await handleRequest(event('Create', { User: user }), deps);
    expect((await lastResponse()).body.Status).toBe('SUCCESS');
    expect(await adminQuery(`SELECT user FROM mysql.user WHERE user = ?`, [user])).toHaveLength(1);
  });

  it('answers FAILED with a reason CloudFormation shows, never the password: a statement the server refuses', async () => {
    const user = newUserName();
    // MariaDB has no AWSAuthenticationPlugin: the IAM variant's first statement is refused here.
    await handleRequest(event('Create', { User: user, Authentication: 'iam' }), { readSecret: secretsOf({ [masterArn]: { AWSCURRENT: JSON.stringify(master) } }), connect: localConnect });
    const { body } = await lastResponse();
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(/^statement 1 \(CREATE USER IF \.\.\.\) failed: /);
    expect(body.PhysicalResourceId).toMatch(/^failed-/);

    // A refused password statement names the statement, not its text (which holds the password).
    const secret = "it's-secret-4";
    await handleRequest(event('Create', { User: 'x'.repeat(40), Authentication: userSecretArn }), {
      readSecret: secretsOf({ [masterArn]: { AWSCURRENT: JSON.stringify(master) }, [userSecretArn]: { AWSCURRENT: secret } }),
      connect: localConnect,
    });
    const refused = (await lastResponse()).body;
    expect(refused).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('must be 1-32 letters') });
    expect(JSON.stringify(refused)).not.toContain(secret);
  });

  it('answers FAILED when the database cannot be reached or the master secret is unusable', async () => {
    const user = newUserName();
    await handleRequest(event('Create', { User: user, Port: '1' }), { readSecret: secretsOf({ [masterArn]: { AWSCURRENT: JSON.stringify(master) }, [userSecretArn]: { AWSCURRENT: 'p-5' } }), connect: localConnect });
    expect((await lastResponse()).body).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^connecting to .*:1 as the master user failed: ECONNREFUSED/) });

    await handleRequest(event('Create', { User: user }), { readSecret: secretsOf({ [masterArn]: { AWSCURRENT: 'not json' }, [userSecretArn]: { AWSCURRENT: 'p-5' } }), connect: localConnect });
    expect((await lastResponse()).body).toMatchObject({ Status: 'FAILED', Reason: 'the master secret must be JSON with "username" and "password"' });

    await handleRequest(event('Create', { User: user }), { readSecret: secretsOf({ [masterArn]: { AWSCURRENT: JSON.stringify({ ...master, password: 'wrong' }) }, [userSecretArn]: { AWSCURRENT: 'p-5' } }), connect: localConnect });
    expect((await lastResponse()).body).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('no rotation is pending') });
  });
});
