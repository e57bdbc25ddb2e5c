import type { TestProject } from 'vitest/node';
import { fileURLToPath } from 'node:url';
import { startLocalS3Server } from '../../app/infra/s3/local-s3-server.ts';
import { ensureHandlers } from '../../constructs/build-handlers.mjs';
import { ensureApiArtifact } from '../../tools/api-artifact.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    s3Endpoint: string;
    s3Directory: string;
    /** The API artifact (dist/api), built once per run when a source changed: what the CDK tests deploy. */
    apiArtifactDirectory: string;
  }
}

/**
 * One local S3 server for the whole run; each test file creates its own bucket on it. The API artifact is
 * and the constructs' Lambda handlers are brought up to date here, once, so test files running in parallel never rebuild it under each other.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const artifact = await ensureApiArtifact(fileURLToPath(new URL('../../', import.meta.url)));
  project.provide('apiArtifactDirectory', artifact.directory);
  // The custom resource handlers the constructs read from constructs/prebuilt (as the package does from dist/).
  await ensureHandlers();
  const s3 = await startLocalS3Server();
  project.provide('s3Endpoint', s3.endpoint);
  project.provide('s3Directory', s3.directory);
  return () => s3.close();
}
