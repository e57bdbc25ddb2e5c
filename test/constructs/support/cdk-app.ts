import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { inject } from 'vitest';
import { ApiArtifact } from '../../../constructs/api-artifact.ts';
import { addNagPacks } from '../../../constructs/nag/packs.ts';
import { readPlatformEnvironment } from '../../../constructs/platform-environment.ts';
import { createPlatformStack } from '../../../constructs/create-platform-stack.ts';
import type { TicketingPlatformStack } from '../../../constructs/ticketing-platform-stack.ts';

export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The committed context (cdk.json flags and settings, cdk.context.json lookups), as `cdk synth` sees it. */
export function committedContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(repositoryRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const lookups = JSON.parse(readFileSync(join(repositoryRoot, 'cdk.context.json'), 'utf8')) as Record<string, unknown>;
  return { ...cdkJson.context, ...lookups };
}

/**
 * The committed context without a single feature flag: the kit's settings and lookups only, as in a
 * consumer app whose cdk.json has an empty context.
 */
export function contextWithoutFeatureFlags(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(committedContext()).filter(([key]) => !key.startsWith('@aws-cdk')));
}

/** A fresh app (own output directory) and a stack in the committed account and region, for one construct. */
export function newStack(extraContext: Record<string, unknown> = {}): Stack {
  // Construct tests skip the built-in template validation (the platform tests run it): it costs seconds per synth.
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'ticketkit-cdk-')), context: { ...committedContext(), ...extraContext }, builtinCloudFormationValidation: false });
  return new Stack(app, 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
}

/** The API artifact the run's global set-up built (dist/api). */
export function testApiArtifact(): ApiArtifact {
  return ApiArtifact.fromDirectory(inject('apiArtifactDirectory'));
}

export interface SynthesisedPlatform {
  readonly stack: TicketingPlatformStack;
  readonly template: Template;
  readonly assemblyDir: string;
}

/**
 * Synthesises one committed environment under the four cdk-nag packs, exactly once; share it in a file's
 * beforeAll. `featureFlags: 'none'` drops cdk.json's feature flags, as a consumer app without them would.
 */
export function synthesisePlatform(environment: 'prod' | 'dev', options: { featureFlags?: 'committed' | 'none' } = {}): SynthesisedPlatform {
  const assemblyDir = mkdtempSync(join(tmpdir(), `ticketkit-${environment}-`));
  const context = options.featureFlags === 'none' ? contextWithoutFeatureFlags() : committedContext();
  const app = new App({ outdir: assemblyDir, context: { ...context, env: environment } });
  const stack = createPlatformStack(app, readPlatformEnvironment(app.node, environment), {
    apiArtifact: testApiArtifact(),
    siteDirectory: join(repositoryRoot, 'dist', 'web'),
  });
  addNagPacks(app);
  const assembly = app.synth();
  const templatePath = assembly.getStackArtifact(stack.artifactId).templateFullPath;
  return { stack, template: Template.fromJSON(JSON.parse(readFileSync(templatePath, 'utf8'))), assemblyDir };
}

/** Logical id of a construct's CloudFormation resource. */
export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}
