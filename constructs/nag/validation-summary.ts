import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NAG_PACK_NAMES } from './acknowledge.ts';

interface ReportedViolation {
  readonly ruleName: string;
  readonly violatingConstructs?: readonly { readonly constructPath?: string }[];
  readonly acknowledgedId?: string;
  readonly reason?: string;
  readonly acknowledgedAt?: string;
}

interface PluginReport {
  readonly pluginName: string;
  readonly violations: readonly ReportedViolation[];
  readonly suppressedViolations?: readonly ReportedViolation[];
}

/** One validation plugin's result: findings left open, findings acknowledged. */
export interface PluginSummary {
  readonly plugin: string;
  readonly unacknowledged: readonly string[];
  readonly acknowledged: readonly { readonly id: string; readonly path: string; readonly reason: string }[];
}

/** Reads CDK's `validation-report.json` from a cloud assembly directory. Each finding is one rule on one construct. */
export function readValidationSummary(assemblyDir: string): PluginSummary[] {
  const report = JSON.parse(readFileSync(join(assemblyDir, 'validation-report.json'), 'utf8')) as { pluginReports: PluginReport[] };
  // A plugin with nothing to report is left out of the file; list the four packs anyway, at zero.
  const missing = NAG_PACK_NAMES.filter((name) => !report.pluginReports.some((plugin) => plugin.pluginName === name));
  const plugins: PluginReport[] = [...report.pluginReports, ...missing.map((pluginName) => ({ pluginName, violations: [] }))];
  return plugins.map((plugin) => ({
    plugin: plugin.pluginName,
    unacknowledged: plugin.violations.flatMap((v) => (v.violatingConstructs ?? [{}]).map((c) => `${v.ruleName} at ${c.constructPath ?? '?'}`)),
    acknowledged: (plugin.suppressedViolations ?? []).flatMap((v) =>
      (v.violatingConstructs ?? [{}]).map(() => ({ id: v.acknowledgedId ?? v.ruleName, path: v.acknowledgedAt ?? '?', reason: v.reason ?? '' })),
    ),
  }));
}

/** The summary as a few lines of text, for the end of `cdk synth`. */
export function formatValidationSummary(summaries: readonly PluginSummary[]): string {
  const width = Math.max(...summaries.map((s) => s.plugin.length), 'plugin'.length);
  const lines = [`${'plugin'.padEnd(width)}  unacknowledged  acknowledged`];
  for (const s of summaries) {
    lines.push(`${s.plugin.padEnd(width)}  ${String(s.unacknowledged.length).padStart(14)}  ${String(s.acknowledged.length).padStart(12)}`);
  }
  const open = summaries.reduce((sum, s) => sum + s.unacknowledged.length, 0);
  lines.push(`unacknowledged findings across all validation plugins (template validation and annotations included): ${open}`);
  for (const s of summaries) for (const finding of s.unacknowledged) lines.push(`  open: ${finding} (${s.plugin})`);
  return lines.join('\n');
}
