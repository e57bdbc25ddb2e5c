// Builds the API artifact: the directory every instance unpacks and runs with Node alone (`node bin/api`),
// without npm, a registry or node_modules. `npm run build:api` writes it to dist/api; bin/cdk.ts calls
// ensureApiArtifact, which rebuilds only when the hash of the sources it was built from changed.
//
// Layout (paths as in the repository, so every `new URL(..., import.meta.url)` of the sources resolves):
//   package.json                      type: module (bin/api is extensionless ESM), version, source hash
//   bin/api                           the API, bundled with its production dependencies
//   bin/run-sql                       one SQL statement against DATABASE_URL (the boot script's set-up)
//   bin/chunk-*.mjs                   code both entries share (mysql2, the connection options)
//   app/infra/redis/lua/*.lua         read by the seat store at start
//   app/infra/mysql/migrations/*.sql  read by the schema migration at start
// Not in it: the buyer page (dist/web), which CloudFront serves from S3 on AWS; the API answers 404 there.
import { createHash } from 'node:crypto';
import { chmod, cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, version as esbuildVersion, type Plugin } from 'esbuild';

export interface ApiArtifact {
  /** The unpacked artifact: what the CDK asset zips. */
  readonly directory: string;
  /** sha256 of everything it was built from (sources, dependency files, data files, this builder). */
  readonly sourceHash: string;
  /** False when the existing build was current and reused. */
  readonly rebuilt: boolean;
}

/** Entry points, by their name in the artifact's bin/. */
const ENTRIES = { api: 'bin/api.ts', 'run-sql': 'bin/run-sql.ts' } as const;
/** Files the API reads at run time next to its code, by directory and extension. */
const DATA_FILES = [
  { directory: 'app/infra/redis/lua', extension: '.lua' },
  { directory: 'app/infra/mysql/migrations', extension: '.sql' },
] as const;
/** Instances run Node 22; this machine and the tests run Node 20: the bundle targets the older. */
const NODE_TARGET = 'node20';
const THIS_FILE = fileURLToPath(import.meta.url);

interface BuildRecord {
  readonly sourceHash: string;
  /** Every file esbuild read, relative to the repository root: what the next hash covers. */
  readonly inputs: readonly string[];
}

/** The artifact in `outDir`, rebuilt first unless its record says it was built from exactly the current sources. */
export async function ensureApiArtifact(root: string, outDir: string = path.join(root, 'dist', 'api')): Promise<ApiArtifact> {
  const record = await readRecord(outDir);
  if (record && (await exists(path.join(outDir, 'bin', 'api')))) {
    const sourceHash = await hashSources(root, record.inputs);
    if (sourceHash === record.sourceHash) return { directory: outDir, sourceHash, rebuilt: false };
  }
  return buildApiArtifact(root, outDir);
}

/** Bundles the API into `outDir` (built beside it and swapped in by rename, so a reader never sees half a build). */
export async function buildApiArtifact(root: string, outDir: string = path.join(root, 'dist', 'api')): Promise<ApiArtifact> {
  const staging = `${outDir}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: ENTRIES,
      outdir: path.join(staging, 'bin'),
      outExtension: { '.js': '.mjs' },
      // Shared code lands beside the entries, so `import.meta.url` means bin/ in every output file.
      splitting: true,
      chunkNames: 'chunk-[hash]',
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: NODE_TARGET,
      // Bundled CommonJS packages call require() for Node built-ins and mysql2 reads __dirname in error paths.
      banner: {
        js: [
          '#!/usr/bin/env node',
          "import { createRequire as __ticketkitCreateRequire } from 'node:module';",
          "import { fileURLToPath as __ticketkitFileUrlToPath } from 'node:url';",
          'const require = __ticketkitCreateRequire(import.meta.url);',
          'const __filename = __ticketkitFileUrlToPath(import.meta.url);',
          "const __dirname = __ticketkitFileUrlToPath(new URL('.', import.meta.url));",
        ].join('\n'),
      },
      plugins: [sourceFileUrls(root)],
      metafile: true,
      logLevel: 'warning',
    });
    for (const name of Object.keys(ENTRIES)) {
      await rename(path.join(staging, 'bin', `${name}.mjs`), path.join(staging, 'bin', name));
      await chmod(path.join(staging, 'bin', name), 0o755);
    }
    for (const file of await dataFiles(root)) await cp(path.join(root, file), path.join(staging, file));
    const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes(':')).sort();
    const sourceHash = await hashSources(root, inputs);
    if (!sourceHash) throw new Error('api-artifact: an input vanished while bundling; run the build again.');
    const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string };
    const manifest = { name: 'ticketkit-api', version, private: true, type: 'module', engines: { node: '>=20.19' }, ticketkit: { sourceHash } };
    await writeFile(path.join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await rm(outDir, { recursive: true, force: true });
    await mkdir(path.dirname(outDir), { recursive: true });
    await rename(staging, outDir);
    await writeFile(recordPath(outDir), `${JSON.stringify({ sourceHash, inputs } satisfies BuildRecord)}\n`);
    return { directory: outDir, sourceHash, rebuilt: true };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * In the repository's own sources, `import.meta.url` becomes the URL the source file has in the artifact
 * (bundled code runs from bin/), so `new URL('./lua/hold.lua', import.meta.url)` finds the copied file.
 */
function sourceFileUrls(root: string): Plugin {
  return {
    name: 'source-file-urls',
    setup(builder) {
      builder.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
        if (args.path.split(path.sep).includes('node_modules')) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const fromBin = path.relative(path.join(root, 'bin'), args.path).split(path.sep).join('/');
        return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBin)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
}

async function dataFiles(root: string): Promise<string[]> {
  const lists = await Promise.all(
    DATA_FILES.map(async ({ directory, extension }) =>
      (await readdir(path.join(root, directory))).filter((name) => name.endsWith(extension)).map((name) => `${directory}/${name}`),
    ),
  );
  return lists.flat().sort();
}

/** sha256 over the inputs, the data files, this builder and esbuild's version; undefined when an input is gone. */
async function hashSources(root: string, inputs: readonly string[]): Promise<string | undefined> {
  const hash = createHash('sha256').update(`esbuild ${esbuildVersion} ${NODE_TARGET}\n`);
  hash.update(await readFile(THIS_FILE));
  for (const file of [...inputs, ...(await dataFiles(root))]) {
    const content = await readFile(path.join(root, file)).catch(() => undefined);
    if (!content) return undefined;
    hash.update(`\n${file}\n`).update(content);
  }
  return hash.digest('hex');
}

function recordPath(outDir: string): string {
  return `${outDir}.build.json`;
}

async function readRecord(outDir: string): Promise<BuildRecord | undefined> {
  try {
    return JSON.parse(await readFile(recordPath(outDir), 'utf8')) as BuildRecord;
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

// `npm run build:api` (and `npm ci`'s prepare step): build, or confirm the build is current.
// `--out DIR` builds elsewhere, e.g. into a package that ships the artifact prebuilt.
if (process.argv[1] && path.resolve(process.argv[1]) === THIS_FILE) {
  const root = path.resolve(path.dirname(THIS_FILE), '..');
  const out = process.argv.indexOf('--out');
  const artifact = await ensureApiArtifact(root, out > 0 && process.argv[out + 1] ? path.resolve(process.argv[out + 1]!) : undefined);
  console.error(`api artifact ${artifact.rebuilt ? 'built' : 'current'}: ${path.relative(root, artifact.directory)} (sources ${artifact.sourceHash.slice(0, 12)})`);
}
