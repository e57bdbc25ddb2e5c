import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/**
 * Context key naming the directory of the prebuilt handlers, for a synth that runs the constructs from source
 * outside vitest (bin/cdk.ts under tsx has no `__dirname`). The packed package needs none: its handlers sit in
 * dist/constructs/prebuilt, beside this file.
 */
export const PREBUILT_HANDLERS_CONTEXT = '@ticketkit/constructs:prebuiltHandlers';

/**
 * The code of one of the package's custom resource handlers (`prebuilt/<name>/index.js`, bundled by
 * build-handlers.mjs when the package is built): an asset of a ready directory, nothing compiled at synth.
 */
export function prebuiltHandlerCode(scope: Construct, name: string): lambda.Code {
  const base = (scope.node.tryGetContext(PREBUILT_HANDLERS_CONTEXT) as string | undefined) ?? (typeof __dirname === 'string' ? join(__dirname, 'prebuilt') : undefined);
  if (!base) {
    throw new Error(`${scope.node.path}: no prebuilt handlers; set the ${PREBUILT_HANDLERS_CONTEXT} context to the directory constructs/build-handlers.mjs writes (node constructs/build-handlers.mjs).`);
  }
  const directory = join(base, name);
  if (!existsSync(join(directory, 'index.js'))) {
    throw new Error(`${scope.node.path}: ${directory} has no index.js; build the handlers first (node constructs/build-handlers.mjs, or npm run build in constructs/).`);
  }
  return lambda.Code.fromAsset(directory);
}
