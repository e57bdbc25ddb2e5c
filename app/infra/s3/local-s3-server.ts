import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface LocalS3Server {
  /** Plain-HTTP endpoint on loopback, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** Where the server keeps buckets and objects on disk. */
  readonly directory: string;
  close(): Promise<void>;
}

/**
 * Starts an S3-compatible server (s3rver) on a free loopback port, for `npm start` and tests.
 * s3rver accepts any credentials and serves objects to anonymous GETs, like a public CDN origin.
 */
export async function startLocalS3Server(options: { directory?: string; port?: number } = {}): Promise<LocalS3Server> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'ticketkit-s3-')));
  const server = new S3rver({ address: '127.0.0.1', port: options.port ?? 0, silent: true, directory });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    directory,
    close: () => server.close(),
  };
}
