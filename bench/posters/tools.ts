import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** One way of copying the poster directory into a bucket, as an engineer would run it. */
export interface Tool {
  readonly name: string;
  command(options: { from: string; bucket: string; endpoint: string; stateDir: string }): { command: string; args: string[] };
}

export const S3_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_DEFAULT_REGION: 'us-east-1', AWS_REGION: 'us-east-1' };

const MIGRATE = path.resolve(import.meta.dirname, '../../bin/migrate');

export function migrateTool(name: string, extraArgs: string[] = []): Tool {
  return {
    name,
    command: ({ from, bucket, endpoint, stateDir }) => ({
      command: process.execPath,
      args: [MIGRATE, 'posters', '--from', from, '--bucket', bucket, '--endpoint', endpoint, '--state-dir', stateDir, '--json', ...extraArgs],
    }),
  };
}

/** Debian's awscli (the `aws` on PATH may be a pyenv shim that adds its own start-up). */
export function awsTool(binary: string): Tool {
  return {
    name: 'aws s3 sync',
    command: ({ from, bucket, endpoint }) => ({
      command: binary,
      args: ['s3', 'sync', from, `s3://${bucket}/posters/`, '--endpoint-url', endpoint, '--only-show-errors', '--no-progress'],
    }),
  };
}

export function rcloneTool(binary: string, transfers: number): Tool {
  return {
    name: `rclone copy (${transfers} transfers)`,
    command: ({ from, bucket, endpoint }) => ({
      command: binary,
      args: [
        'copy', from, `:s3:${bucket}/posters`, '--s3-provider', 'Other', '--s3-endpoint', endpoint, '--s3-access-key-id', 'S3RVER',
        '--s3-secret-access-key', 'S3RVER', '--s3-force-path-style', '--s3-no-check-bucket', '--transfers', String(transfers),
        '--checkers', '16', '-q',
      ],
    }),
  };
}

export function findBinary(candidates: readonly string[]): string | undefined {
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore', env: { ...process.env, AWS_CA_BUNDLE: '' } });
      return candidate;
    } catch {
      // not installed here
    }
  }
  return undefined;
}
