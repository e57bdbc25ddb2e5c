import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiArtifact } from '../../constructs/api-artifact.ts';
import { readPlatformEnvironment } from '../../constructs/platform-environment.ts';
import { createPlatformStack } from '../../constructs/create-platform-stack.ts';
import { organizer, testSessionKey } from '../support/api.ts';
import { createTestDatabase, uniqueName, type TestDatabase } from '../support/database.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';
import { createTestBucket, localS3Client } from '../support/s3.ts';
import { freePort, waitUntil } from '../support/wait.ts';
import { committedContext, testApiArtifact } from './support/cdk-app.ts';
import { launchTemplateUserData } from './support/security-groups.ts';

const run = promisify(execFile);
/** The budget for the zipped artifact, with room for what later issues add. */
const MAX_ZIPPED_BYTES = 15 * 1024 * 1024;

let assemblyDir: string;
let assetDir: string;
let userData: string;
let unpacked: string;
let zipBytes: number;
let database: TestDatabase;
let api: ChildProcess | undefined;
let apiLog = '';

/** The API asset as cdk-assets would publish it: the file asset of the stack's asset manifest that holds bin/api. */
function apiAssetIn(assembly: string, stackName: string): { directory: string; objectKey: string } {
  const manifest = JSON.parse(readFileSync(join(assembly, `${stackName}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string; packaging?: string }; destinations: Record<string, { objectKey: string }> }>;
  };
  const found = Object.values(manifest.files).filter((file) => file.source.packaging === 'zip' && existsSync(join(assembly, file.source.path, 'bin', 'api')));
  expect(found, 'exactly one asset holds bin/api').toHaveLength(1);
  return { directory: join(assembly, found[0]!.source.path), objectKey: Object.values(found[0]!.destinations)[0]!.objectKey };
}

beforeAll(async () => {
  // Synthesise dev into a temp cdk.out, as `cdk synth` would (cdk-nag is proven by the platform tests).
  assemblyDir = mkdtempSync(join(tmpdir(), 'ticketkit-boot-cdk-'));
  const app = new App({ outdir: assemblyDir, context: { ...committedContext(), env: 'dev' } });
  const stack = createPlatformStack(app, readPlatformEnvironment(app.node, 'dev'), { apiArtifact: testApiArtifact() });
  const assembly = app.synth();
  userData = launchTemplateUserData(Template.fromJSON(JSON.parse(readFileSync(assembly.getStackArtifact(stack.artifactId).templateFullPath, 'utf8'))));
  const asset = apiAssetIn(assemblyDir, stack.artifactId);
  assetDir = asset.directory;
  expect(userData).toContain(asset.objectKey);

  // Zipped as published, unpacked into an empty directory outside the repository, as the boot script does.
  const work = mkdtempSync(join(tmpdir(), 'ticketkit-boot-'));
  await run('zip', ['-q', '-r', '-X', join(work, 'api.zip'), '.'], { cwd: assetDir });
  zipBytes = statSync(join(work, 'api.zip')).size;
  unpacked = join(work, 'app');
  await run('unzip', ['-q', join(work, 'api.zip'), '-d', unpacked]);
  database = await createTestDatabase('tk_boot');
}, 120_000);

afterAll(async () => {
  if (api && api.exitCode === null) {
    api.kill('SIGKILL');
    await once(api, 'exit');
  }
  await database?.drop();
  await rm(assemblyDir, { recursive: true, force: true });
  if (unpacked) await rm(dirname(unpacked), { recursive: true, force: true });
});

describe('the API artifact', () => {
  it('is what the instances download, with no npm anywhere in their boot script', () => {
    expect(userData).not.toMatch(/\bnpm\b|\bnpx\b|node_modules/);
    expect(userData).toMatch(/unzip -q \/opt\/ticketkit\/api\.zip -d \/opt\/ticketkit\/app/);
    expect(userData).toContain('ExecStart=/usr/bin/node-22 /opt/ticketkit/app/bin/api');
  });

  it(`stays under ${MAX_ZIPPED_BYTES / 1024 / 1024} MB zipped and carries its own code: no node_modules, no buyer page`, () => {
    console.info(`API artifact: ${(zipBytes / 1024 / 1024).toFixed(2)} MB zipped`);
    expect(zipBytes).toBeLessThanOrEqual(MAX_ZIPPED_BYTES);
    expect(existsSync(join(unpacked, 'node_modules'))).toBe(false);
    expect(existsSync(join(unpacked, 'dist', 'web'))).toBe(false);
    // Nothing above the unpacked directory could lend it packages either.
    for (let dir = unpacked; dir !== parse(dir).root; dir = dirname(dir)) expect(existsSync(join(dir, 'node_modules')), dir).toBe(false);
  });

  it('starts with `node bin/api` from its root against MySQL, Redis and S3, and answers /readyz with 200', async () => {
    const bucket = await createTestBucket(localS3Client());
    const port = await freePort();
    const startedAt = performance.now();
    // Only what the systemd unit and its env file set: no NODE_OPTIONS, no loader, no npm.
    api = spawn(process.execPath, ['bin/api'], {
      cwd: unpacked,
      env: {
        PATH: '/usr/bin:/bin',
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_URL: database.url,
        REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_KEY_PREFIX: `${uniqueName('boot')}:`,
        SESSION_KEYS: testSessionKey,
        S3_ENDPOINT: inject('s3Endpoint'),
        S3_BUCKET: bucket,
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        ADMIN_EMAIL: organizer.email,
        ADMIN_PASSWORD: organizer.password,
        PASSWORD_HASH_COST: '10',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api.stdout!.on('data', (chunk: Buffer) => (apiLog += chunk));
    api.stderr!.on('data', (chunk: Buffer) => (apiLog += chunk));
    const url = `http://127.0.0.1:${port}`;
    await waitUntil(
      `${url}/readyz from the unpacked artifact (log: ${apiLog.slice(-2000)})`,
      async () => {
        if (api!.exitCode !== null) throw new Error(`bin/api exited with ${api!.exitCode}: ${apiLog.slice(-2000)}`);
        return (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200;
      },
      60_000,
      25,
    );
    console.info(`API artifact: start to /readyz 200 in ${Math.round(performance.now() - startedAt)} ms`);
    // The SQL files next to the bundle were applied.
    const sqlFiles = readdirSync(join(unpacked, 'app/infra/mysql/migrations')).filter((file) => file.endsWith('.sql'));
    const connection = await mysql.createConnection(database.url);
    const [rows] = await connection.query<RowDataPacket[]>('SELECT version FROM schema_migrations');
    await connection.end();
    expect(rows.length).toBe(sqlFiles.length);

    // The Lua seat gate, the session store and the ledger work from the bundle.
    const organizerClient = new HttpClient(url);
    await logIn(organizerClient, organizer.email, organizer.password);
    const { eventId, seatIds } = await createEvent(organizerClient, [{ name: 'Floor', rows: 1, seatsPerRow: 4, priceCents: 5_000 }]);
    const { client } = await newBuyer(url, 'boot');
    const hold = await client.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(0, 2) });
    expect(hold.status).toBe(201);
    const purchase = await client.post(`/api/holds/${hold.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': 'boot-1' });
    expect(purchase.status).toBe(201);
    // The buyer page is CloudFront's on AWS: the artifact has none and serves none.
    expect((await fetch(`${url}/`)).status).toBe(404);

    api.kill('SIGTERM');
    const [code] = (await once(api, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('runs the boot script\'s SQL step with bin/run-sql from the same artifact', async () => {
    const { stdout, stderr } = await run(process.execPath, ['bin/run-sql', 'SELECT 1'], { cwd: unpacked, env: { PATH: '/usr/bin:/bin', DATABASE_URL: database.url } });
    expect(stdout + stderr).toBe('');
    const failure = await run(process.execPath, ['bin/run-sql'], { cwd: unpacked, env: { PATH: '/usr/bin:/bin' } }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
  });

  it('refuses a directory that is not a built artifact, naming the fix', () => {
    expect(() => ApiArtifact.fromDirectory(tmpdir())).toThrow(/has no bin\/api; build it first \(npm run build:api writes dist\/api\)/);
  });
});
