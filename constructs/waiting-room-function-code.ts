import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file constructs/build.mjs writes next to the compiled construct: the function's code, built once at pack. */
export const PREBUILT_FUNCTION_FILE = 'waiting-room-function.js';

let cached: string | undefined;

/**
 * The waiting room's CloudFront Function code (edge/waiting-room/build.ts: the shared core inside handler.js).
 * From the package it is the file prebuilt into dist/ beside this module (compiled to CommonJS, which has
 * `__dirname`), so a consumer's synth never runs TypeScript. From the repository's sources (ES modules: vitest,
 * or tsx behind cdk.json) there is no prebuilt file, and the repository's builder runs once per process; it
 * runs in a child process because a construct is synchronous and the builder is an ES module using TypeScript.
 */
export function waitingRoomFunctionCode(): string {
  cached ??= readPrebuilt() ?? buildFromSources();
  return cached;
}

function readPrebuilt(): string | undefined {
  // `__dirname` exists in the CommonJS package (and vitest provides it); tsx's ES modules lack it.
  const directory = typeof __dirname === 'string' ? __dirname : undefined;
  const file = directory && join(directory, PREBUILT_FUNCTION_FILE);
  return file && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function buildFromSources(): string {
  const root = typeof __dirname === 'string' ? join(__dirname, '..') : process.cwd();
  const builder = join(root, 'edge', 'waiting-room', 'build.ts');
  if (!existsSync(builder)) {
    throw new Error(
      `WaitingRoom: no prebuilt ${PREBUILT_FUNCTION_FILE} beside the construct and no ${builder}; install @ticketkit/constructs as packed (npm pack -w constructs builds it) or run from the repository root.`,
    );
  }
  return execFileSync(process.execPath, ['--import', 'tsx', builder], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
}
