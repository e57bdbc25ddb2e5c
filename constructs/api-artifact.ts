import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';

/**
 * The API as instances run it: a directory that starts with `node bin/api` from its root and needs nothing
 * else (no npm, no registry, no node_modules): the bundled API, its Lua scripts and SQL migrations. The
 * repository builds it with `npm run build:api` (tools/api-artifact.ts, into dist/api).
 */
export class ApiArtifact {
  /** A built artifact directory, zipped into a CDK asset as it is. */
  public static fromDirectory(directory: string): ApiArtifact {
    const problem = artifactProblem(directory);
    if (problem) throw new Error(`ApiArtifact: ${directory} ${problem}; build it first (npm run build:api writes dist/api) or pass the directory of a built artifact.`);
    return new ApiArtifact(directory);
  }

  private constructor(public readonly directory: string) {}

  /** The asset the instances download at boot. */
  public toAsset(scope: Construct, id: string): s3assets.Asset {
    return new s3assets.Asset(scope, id, { path: this.directory });
  }
}

function artifactProblem(directory: string): string | undefined {
  if (!existsSync(join(directory, 'bin', 'api'))) return 'has no bin/api';
  if (existsSync(join(directory, 'node_modules'))) return 'holds node_modules, which instances must not depend on';
  try {
    const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { type?: string };
    if (manifest.type !== 'module') return 'has a package.json without "type": "module" (bin/api is extensionless ESM)';
  } catch {
    return 'has no readable package.json';
  }
  return undefined;
}
