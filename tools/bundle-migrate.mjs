// Bundles bin/migrate.ts and everything it imports from this repo into dist/migrate/migrate.mjs (npm
// packages stay external). Run by `npm ci` (prepare). Plain JS so it runs before anything is compiled.
//
// Why: under tsx every start-up transpiles and resolves ~80 TypeScript modules, about 0.3 s of a
// nothing-to-do `bin/migrate posters` run; the bundle starts in a fraction of that. bin/migrate uses
// the bundle only while no source file in inputs.json is newer than it, else it runs the sources.
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// Two levels below the root, like the sources it replaces: URLs relative to import.meta.url still resolve.
const outDir = path.join(root, 'dist', 'migrate');
// Built beside the live bundle, then swapped in by rename, so a bin/migrate starting meanwhile sees one whole build.
const staging = path.join(root, 'dist', `.migrate-${process.pid}`);

// A failed build leaves the live bundle as it was and no half-written staging directory behind.
const result = await build({
  absWorkingDir: root,
  entryPoints: { migrate: 'bin/migrate.ts' },
  outdir: staging,
  // Each lazily imported command stays a chunk of its own: its packages (mysql2, the AWS SDK) load only when it runs.
  splitting: true,
  chunkNames: '[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  metafile: true,
  logLevel: 'warning',
}).catch(async (error) => {
  await rm(staging, { recursive: true, force: true });
  throw error;
});
const inputs = Object.keys(result.metafile.inputs).sort();
await writeFile(path.join(staging, 'inputs.json'), `${JSON.stringify(inputs)}\n`);
await rm(outDir, { recursive: true, force: true });
await rename(staging, outDir);
