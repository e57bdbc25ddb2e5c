import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { testServerUrl } from '../support/database.ts';
import { MIGRATE_BIN, runMigrate, spawnMigrate } from './helpers/run-migrate.ts';

/** One clear line, no stack trace: the contract for every expected stop. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

const server = new URL(testServerUrl);

describe('usage and connection errors exit 2 with one line', () => {
  test.each([
    ['a URL that is not a URL', ['plan', '--source', 'not a url'], /^error: --source: not a URL/],
    ['a scheme other than mysql', ['plan', '--source', 'postgres://u@h/db'], /^error: --source: unsupported scheme postgres:/],
    ['a URL without a database', ['db', '--source', `${testServerUrl}`, '--target', `${testServerUrl}/x`], /^error: --source: the URL must name a database/],
    ['a missing required flag', ['db', '--source', `${testServerUrl}/x`], /^error: required option '--target <url>' not specified$/],
    ['an unknown flag', ['verify', '--source', 'x', '--target', 'y', '--sauce'], /^error: unknown option '--sauce'/],
    ['a bad number', ['db', '--source', 'a', '--target', 'b', '--parallel', 'many'], /^error: option '--parallel <n>' argument 'many' is invalid/],
    ['an unknown command', ['copy-everything'], /^error: unknown command 'copy-everything'/],
  ])('%s', async (_name, args, pattern) => {
    const result = await runMigrate(args);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, pattern);
  });

  test('a wrong password', async () => {
    const url = new URL(testServerUrl);
    url.username = url.username || 'root';
    url.password = 'definitely-wrong';
    const result = await runMigrate(['plan', '--source', `${url.href}/mysql`]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /^error: access denied: Access denied for user/);
    expect(result.stderr).not.toContain('definitely-wrong');
  });

  test('a port where nothing listens', async () => {
    const result = await runMigrate(['plan', '--source', `mysql://root@127.0.0.1:1/x`]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /^error: connection refused: /);
  });

  test('a source database that does not exist', async () => {
    const result = await runMigrate(['plan', '--source', `mysql://${server.username || 'root'}@${server.host}/no_such_db_here`]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /^error: source database no_such_db_here does not exist/);
  });

  test('posters against AWS without any credentials: exit 2, one line saying what to set', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'tk-no-credentials-'));
    const from = path.join(home, 'posters');
    await mkdir(from);
    await writeFile(path.join(from, 'a.jpg'), Buffer.from('ffd8ffe0', 'hex'));
    // No AWS_* variables, an empty home (no ~/.aws), no instance metadata: nowhere to find credentials.
    const env = { PATH: process.env.PATH, HOME: home, AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(MIGRATE_BIN, ['posters', '--from', from, '--bucket', 'ticketkit-posters-example'], { env, cwd: home }, (error, _stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stderr }),
      );
    });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /^error: no AWS credentials for s3:\/\/ticketkit-posters-example: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE/);
  });

  test('the committed executable runs from any directory and exits 2 on bad input', async () => {
    const result = await spawnMigrate(['verify', '--source', 'nope', '--target', 'nope']).done;
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /^error: --source: not a URL/);
  });
});

describe('help', () => {
  test('documents every db flag with an example and the exit codes', async () => {
    const result = await runMigrate(['db', '--help']);
    expect(result.code).toBe(0);
    for (const flag of ['--source', '--target', '--tables', '--exclude', '--parallel', '--chunk-rows', '--resume', '--dry-run', '--no-verify', '--json', '--overwrite']) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).toMatch(/Examples?:\n\s+bin\/migrate db --source mysql:\/\//);
    expect(result.stdout).toMatch(/Exit codes: 0 .* 1 .* 2 /);
  });

  test.each(['verify', 'plan', 'dataset'])('%s --help has an example', async (command) => {
    const result = await runMigrate([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`Examples?:\\n\\s+bin/migrate ${command} `));
  });
});
