// Builds dist/ for `npm pack`: tsc emits CommonJS and declarations (see tsconfig.build.json), then
// dist/ is declared CommonJS (the sources beside it are ES modules) and the `.ts` import specifiers
// tsc leaves in declarations (it rewrites them in .js only) are rewritten to `.js`. Last, the waiting room's
// CloudFront Function code is built (edge/waiting-room/build.ts) into dist/constructs/, where the compiled
// construct reads it (constructs/waiting-room-function-code.ts): a consumer's synth never runs TypeScript;
// and the custom resource handlers are bundled into dist/constructs/prebuilt, where prebuiltHandlerCode finds them.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHandlers, HANDLERS } from './build-handlers.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = join(here, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.build.json')], { stdio: 'inherit' });
writeFileSync(join(dist, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
const functionBuilder = join(here, '..', 'edge', 'waiting-room', 'build.ts');
const functionCode = execFileSync(process.execPath, ['--import', 'tsx', functionBuilder], { cwd: join(here, '..'), encoding: 'utf8' });
writeFileSync(join(dist, 'constructs', 'waiting-room-function.js'), functionCode);

const relativeTs = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)\.ts(['"])/g;
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
  const file = join(entry.parentPath, entry.name);
  const text = readFileSync(file, 'utf8');
  const rewritten = text.replace(relativeTs, '$1$2.js$3');
  if (rewritten !== text) writeFileSync(file, rewritten);
}
await buildHandlers(join(dist, 'constructs', 'prebuilt'));
// The rebuild records serve the repository's cache only.
for (const name of HANDLERS) rmSync(join(dist, 'constructs', 'prebuilt', `${name}.build.json`));
