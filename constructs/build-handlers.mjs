// Bundles the Lambda handlers of the package's custom resources (constructs/lambda/<name>/index.ts) into
// <outDir>/<name>/index.js, each one self-contained CommonJS file (Node.js 22 syntax, run on the latest Lambda Node.js runtime): the
// constructs pass the directory to lambda.Code.fromAsset, so a consumer's synth never runs a bundler.
// build.mjs writes them into the packed dist/; in this repository `ensureHandlers` (test set-up, bin/cdk.ts)
// rebuilds constructs/prebuilt/ only when the hash of what a handler was built from changed.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, version as esbuildVersion } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The handlers, by the directory name their construct asks for. */
export const HANDLERS = ['mysql-api-user'];
/** Where the repository's constructs look for them (beside the construct sources, as dist/constructs/prebuilt in the package). */
export const repositoryHandlerDirectory = path.join(here, 'prebuilt');
const NODE_TARGET = 'node22';

/** Builds every handler into `outDir` (each built beside it and swapped in by rename). */
export async function buildHandlers(outDir = repositoryHandlerDirectory) {
  for (const name of HANDLERS) await buildHandler(name, outDir);
}

/** Rebuilds a handler only when its record's hash no longer matches its sources; returns the names rebuilt. */
export async function ensureHandlers(outDir = repositoryHandlerDirectory) {
  const rebuilt = [];
  for (const name of HANDLERS) {
    const record = await readFile(recordPath(outDir, name), 'utf8').then(JSON.parse, () => undefined);
    const current = record && (await readFile(path.join(outDir, name, 'index.js')).then(() => true, () => false)) && (await hashInputs(record.inputs)) === record.sourceHash;
    if (current) continue;
    await buildHandler(name, outDir);
    rebuilt.push(name);
  }
  return rebuilt;
}

async function buildHandler(name, outDir) {
  const target = path.join(outDir, name);
  const staging = `${target}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    const result = await build({
      absWorkingDir: path.resolve(here, '..'),
      entryPoints: [path.join(here, 'lambda', name, 'index.ts')],
      outfile: path.join(staging, 'index.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: NODE_TARGET,
      minify: true,
      // The same bytes from the same sources on any machine: the asset hash (and so the template) is stable.
      legalComments: 'none',
      metafile: true,
      logLevel: 'warning',
    });
    // CommonJS whatever package.json sits above it (the repository's says "module").
    await writeFile(path.join(staging, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
    const inputs = Object.keys(result.metafile.inputs).sort();
    await mkdir(outDir, { recursive: true });
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
    await writeFile(recordPath(outDir, name), `${JSON.stringify({ sourceHash: await hashInputs(inputs), inputs })}\n`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** sha256 over this builder, esbuild's version and every input esbuild read (paths relative to the repository root). */
async function hashInputs(inputs) {
  const root = path.resolve(here, '..');
  const hash = createHash('sha256').update(`esbuild ${esbuildVersion} ${NODE_TARGET}\n`).update(await readFile(fileURLToPath(import.meta.url)));
  for (const input of inputs) {
    const content = await readFile(path.join(root, input)).catch(() => undefined);
    if (!content) return undefined;
    hash.update(`\n${input}\n`).update(content);
  }
  return hash.digest('hex');
}

function recordPath(outDir, name) {
  return path.join(outDir, `${name}.build.json`);
}

// `node constructs/build-handlers.mjs [outDir]`: build, or confirm the build is current.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rebuilt = await ensureHandlers(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.error(rebuilt.length ? `handlers built: ${rebuilt.join(', ')}` : 'handlers current');
}
