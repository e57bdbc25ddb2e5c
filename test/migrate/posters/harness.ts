import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, inject } from 'vitest';
import { localS3Client } from '../../support/s3.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { runCli } from '../../../migrate/cli.ts';
import { commands } from '../../../migrate/commands/index.ts';

export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The final `{"type":"report"}` line with --json. */
  readonly report: Record<string, unknown> & { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Credentials s3rver accepts; passed as the CLI's env, never set on process.env. */
export const S3_ENV = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };

/**
 * For one describe block: an S3 client of the run's local S3 server and a fault proxy in front of it,
 * started before the block's tests and closed after them. Read `proxy` inside tests, not at definition.
 */
export function useS3WithFaultProxy(): { readonly client: S3Client; readonly proxy: FaultProxy } {
  const s3 = { client: localS3Client() } as { client: S3Client; proxy: FaultProxy };
  beforeAll(async () => {
    s3.proxy = await startFaultProxy(inject('s3Endpoint'));
  });
  afterAll(async () => {
    await s3.proxy.close();
    s3.client.destroy();
  });
  return s3;
}

/** Runs `bin/migrate <argv>` in this process (same code path as the shim, without Node start-up). */
export async function migrate(argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli({
    argv,
    env: { ...S3_ENV, HOME: tmpdir() },
    stdout: { write: (chunk: string) => ((stdout += chunk), true), isTTY: false },
    stderr: { write: (chunk: string) => ((stderr += chunk), true), isTTY: false },
    commands,
  });
  const reportLine = stdout.split('\n').find((line) => line.startsWith('{"type":"report"'));
  return { exitCode, stdout, stderr, report: reportLine ? JSON.parse(reportLine) : {} };
}

/** A fresh source directory and a state directory beside (not inside) it. */
export async function tempDirs(): Promise<{ from: string; state: string; root: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'tk-posters-'));
  const from = path.join(root, 'uploads');
  await mkdir(from);
  return { root, from, state: path.join(root, 'state') };
}

export async function writeFiles(root: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

/** Distinct pseudo-random bytes of a given size, starting with a JPEG signature. */
export function jpegBytes(size: number, seed: number): Buffer {
  const buffer = Buffer.alloc(size);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < size; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    buffer[i] = x >>> 24;
  }
  if (size >= 4) Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(buffer);
  return buffer;
}

export async function listKeys(client: S3Client, bucket: string): Promise<Map<string, number>> {
  const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return new Map((page.Contents ?? []).map((object) => [object.Key!, object.Size ?? 0]));
}

export async function getObject(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

export async function headObject(client: S3Client, bucket: string, key: string) {
  return client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
}

/** Where s3rver keeps an object's bytes on disk (so a test can damage it). */
export function objectFileOnDisk(bucket: string, key: string): string {
  const parts = key.split('/');
  const name = parts.pop()!;
  return path.join(inject('s3Directory'), bucket, ...parts, `${name}._S3rver_object`);
}
