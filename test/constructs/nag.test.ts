import type { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { Cache } from '../../constructs/cache.ts';
import { acknowledge, complianceRules, NAG_PACK_NAMES, nagRule } from '../../constructs/nag/acknowledge.ts';
import { addNagPacks } from '../../constructs/nag/packs.ts';
import { readValidationSummary } from '../../constructs/nag/validation-summary.ts';
import { newStack } from './support/cdk-app.ts';
import { ThreeTierNetwork } from '../../constructs/three-tier-network.ts';

describe('acknowledge', () => {
  it('builds Pack::Rule ids, narrowed to one finding when asked', () => {
    expect(nagRule('AwsSolutions', 'EC23')).toBe('AwsSolutions::AwsSolutions-EC23');
    expect(nagRule('AwsSolutions', 'IAM5', 'Resource::*')).toBe('AwsSolutions::AwsSolutions-IAM5[Resource::*]');
    expect(complianceRules('RDSMultiAZSupport', ['HIPAA.Security'])).toEqual(['HIPAA.Security::HIPAA.Security-RDSMultiAZSupport']);
  });

  it('refuses a vague reason and an id without its pack', () => {
    const stack = newStack();
    expect(() => acknowledge(stack, [nagRule('AwsSolutions', 'S1')], 'not needed')).toThrow(/too short: give a specific reason of at least 20 characters/);
    expect(() => acknowledge(stack, ['AwsSolutions-S1'], 'a reason that is long enough to pass')).toThrow(/must use the Pack::Rule form/);
  });
});

describe('a construct on its own under the four packs', () => {
  it('ThreeTierNetwork and Cache synthesise with zero unacknowledged findings in production and development', () => {
    const stack = newStack();
    const app = stack.node.scope as App;
    const network = new ThreeTierNetwork(stack, 'Network');
    new Cache(stack, 'Prod', { vpc: network.vpc, securityGroup: network.cacheSecurityGroup });
    new Cache(stack, 'Dev', { vpc: network.vpc, production: false });
    addNagPacks(app);
    app.synth();
    const summaries = readValidationSummary(app.outdir);
    expect(summaries.map((s) => s.plugin)).toEqual(expect.arrayContaining([...NAG_PACK_NAMES]));
    for (const summary of summaries) expect(summary.unacknowledged, summary.plugin).toEqual([]);
    expect(summaries.flatMap((s) => s.acknowledged).some((a) => a.id === 'AwsSolutions::AwsSolutions-AEC4')).toBe(true);
  });
});
