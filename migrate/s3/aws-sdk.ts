import { createRequire } from 'node:module';
import type * as ClientS3 from '@aws-sdk/client-s3';
import type * as LibStorage from '@aws-sdk/lib-storage';

// Loaded with require, not import: under the tsx loader (bin/migrate) every internal require of an
// *imported* CommonJS package takes a round trip to the loader thread, which made the AWS SDK
// about 4x slower to load, and start-up is most of a run with nothing to upload.
const require = createRequire(import.meta.url);

export const s3: typeof ClientS3 = require('@aws-sdk/client-s3');

/** lib-storage is needed only when something is uploaded. */
export function libStorage(): typeof LibStorage {
  return require('@aws-sdk/lib-storage');
}
