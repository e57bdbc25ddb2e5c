import type { TestProject } from 'vitest/node';
import { startLocalS3Server } from '../../app/infra/s3/local-s3-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    s3Endpoint: string;
    s3Directory: string;
  }
}

/** One local S3 server for the whole run; each test file creates its own bucket on it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const s3 = await startLocalS3Server();
  project.provide('s3Endpoint', s3.endpoint);
  project.provide('s3Directory', s3.directory);
  return () => s3.close();
}
