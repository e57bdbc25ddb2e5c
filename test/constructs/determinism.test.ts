import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readPlatformEnvironment } from '../../constructs/platform-environment.ts';
import { createPlatformStack } from '../../constructs/create-platform-stack.ts';
import { committedContext, repositoryRoot, testApiArtifact } from './support/cdk-app.ts';

/** The committed prod stack's template and asset manifest, synthesised with the clock at `now`. */
function synthesiseProdAt(now: string): { template: string; assets: string } {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(now));
  const outdir = mkdtempSync(join(tmpdir(), 'ticketkit-determinism-'));
  const app = new App({ outdir, context: { ...committedContext(), env: 'prod' }, builtinCloudFormationValidation: false });
  const stack = createPlatformStack(app, readPlatformEnvironment(app.node, 'prod'), { apiArtifact: testApiArtifact(), siteDirectory: join(repositoryRoot, 'dist', 'web') });
  app.synth();
  vi.useRealTimers();
  return { template: readFileSync(join(outdir, stack.templateFile), 'utf8'), assets: readFileSync(join(outdir, `${stack.artifactId}.assets.json`), 'utf8') };
}

describe('synthesis', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives the same template and assets whatever the clock says: long before the committed on-sale and during it', () => {
    // cdk.json declares summer-tour on 2027-06-01 17:00-19:00 UTC, pre-warmed from 16:30.
    const before = synthesiseProdAt('2026-12-01T09:00:00Z');
    const during = synthesiseProdAt('2027-06-01T17:45:00Z');
    expect(during.template).toBe(before.template);
    expect(during.assets).toBe(before.assets);
    const actions = Object.values(JSON.parse(before.template).Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>)
      .filter((resource) => resource.Type === 'AWS::AutoScaling::ScheduledAction')
      .map((resource) => resource.Properties);
    expect(actions.map((a) => [a['Recurrence'], a['MinSize']])).toEqual([
      ['30-59/5 16 1 6 *', 12],
      ['*/5 17-18 1 6 *', 12],
      ['0-29/5 19 1 6 *', 3],
    ]);
  });
});
