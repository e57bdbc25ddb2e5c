import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { KeyGrantsForAwsServicesOnly, restrictCreateGrant } from '../../constructs/key-grant-restriction.ts';
import { logRetentionFor } from '../../constructs/log-retention.ts';
import { synthesisePlatform, type SynthesisedPlatform } from './support/cdk-app.ts';

type Statement = { Effect: string; Action?: string | string[]; NotAction?: string | string[]; Condition?: Record<string, Record<string, string>>; Principal?: unknown };

/** Allow statements of a key policy that let a principal call kms:CreateGrant without `kms:GrantIsForAWSResource: true`. */
function unrestrictedGrants(policy: { Statement: Statement[] }): Statement[] {
  const coversCreateGrant = (action: string) => new RegExp(`^${action.replace(/\*/g, '.*')}$`, 'i').test('kms:CreateGrant');
  return policy.Statement.filter((statement) => {
    if (statement.Effect !== 'Allow' || statement.Condition?.['Bool']?.['kms:GrantIsForAWSResource'] === 'true') return false;
    if (statement.NotAction) return ![statement.NotAction].flat().some(coversCreateGrant);
    return [statement.Action].flat().some((action) => coversCreateGrant(action!));
  });
}

const keyPolicies = (template: Template) => Object.entries(template.findResources('AWS::KMS::Key')).map(([id, key]) => [id, key['Properties'].KeyPolicy] as const);
const logGroups = (template: Template) => Object.entries(template.findResources('AWS::Logs::LogGroup')).map(([id, group]) => [id, group['Properties'].RetentionInDays as number | undefined] as const);

describe('restrictCreateGrant', () => {
  const root = { AWS: 'arn:aws:iam::111111111111:root' };

  it("splits CDK's default admin statement: everything but CreateGrant, and CreateGrant for AWS services only", () => {
    const policy = restrictCreateGrant({ Statement: [{ Effect: 'Allow', Principal: root, Action: 'kms:*', Resource: '*' }] });
    expect(policy.Statement).toEqual([
      { Effect: 'Allow', Principal: root, NotAction: 'kms:CreateGrant', Resource: '*' },
      { Effect: 'Allow', Principal: root, Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
    ]);
    expect(unrestrictedGrants(policy as { Statement: Statement[] })).toEqual([]);
  });

  it('conditions an explicit CreateGrant, expands kms:Create*, and leaves other statements and Deny alone', () => {
    const statements = [
      { Effect: 'Allow', Principal: root, Action: ['kms:Decrypt', 'kms:CreateGrant'], Resource: '*' },
      { Effect: 'Allow', Principal: root, Action: ['kms:Create*', 'kms:Describe*'], Resource: '*' },
      { Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: ['kms:Encrypt*', 'kms:Decrypt*'], Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' },
    ];
    const { Statement } = restrictCreateGrant({ Statement: statements }) as { Statement: Statement[] };
    expect(Statement).toHaveLength(6);
    expect(Statement[0]).toMatchObject({ Action: 'kms:Decrypt' });
    expect(Statement[1]).toMatchObject({ Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } });
    expect(Statement[2]!.Action).toEqual(['kms:Describe*', 'kms:CreateAlias', 'kms:CreateCustomKeyStore', 'kms:CreateKey']);
    expect(Statement.slice(4)).toEqual(statements.slice(2));
    expect(unrestrictedGrants({ Statement })).toEqual([]);
  });

  it('refuses a wildcard it cannot split, naming the fix', () => {
    expect(() => restrictCreateGrant({ Statement: [{ Effect: 'Allow', Principal: root, Action: 'kms:C*', Resource: '*' }] })).toThrow(/cannot split kms:C\* .*list its actions/);
    expect(() => restrictCreateGrant({ Statement: [{ Effect: 'Allow', Principal: root, Action: ['kms:*', 's3:GetObject'], Resource: '*' }] })).toThrow(/split it so kms:CreateGrant/);
  });

  it('rewrites statements added to a key after the aspect was applied', () => {
    const stack = new Stack(new App());
    KeyGrantsForAwsServicesOnly.applyTo(stack);
    KeyGrantsForAwsServicesOnly.applyTo(stack);
    const key = new kms.Key(stack, 'Key');
    key.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('222222222222')], actions: ['kms:CreateGrant', 'kms:Decrypt'], resources: ['*'] }));
    const [[, policy]] = keyPolicies(Template.fromStack(stack)) as [[string, { Statement: Statement[] }]];
    expect(unrestrictedGrants(policy)).toEqual([]);
    expect(policy.Statement.filter((statement) => statement.Action === 'kms:CreateGrant')).toHaveLength(2);
  });
});

describe('logRetentionFor', () => {
  it('keeps a year in production, a month in development, and refuses less than a year in production', () => {
    expect(logRetentionFor(true)).toBe(logs.RetentionDays.ONE_YEAR);
    expect(logRetentionFor(false)).toBe(logs.RetentionDays.ONE_MONTH);
    expect(logRetentionFor(true, logs.RetentionDays.INFINITE)).toBe(logs.RetentionDays.INFINITE);
    expect(() => logRetentionFor(true, logs.RetentionDays.SIX_MONTHS)).toThrow(/logRetention of 180 days is too short for production; keep at least 365 days/);
  });
});

describe('prod platform: keys and logs', () => {
  let prod: SynthesisedPlatform;
  beforeAll(() => {
    prod = synthesisePlatform('prod');
  });

  it('lets no key policy allow kms:CreateGrant except for AWS services', () => {
    const policies = keyPolicies(prod.template);
    expect(policies.length).toBeGreaterThanOrEqual(6);
    for (const [id, policy] of policies) expect(unrestrictedGrants(policy), id).toEqual([]);
  });

  it('keeps every log group at least 365 days (or forever), the API, Redis slow log, flow logs, site deployment and custom resource included', () => {
    const groups = logGroups(prod.template);
    for (const [id, days] of groups) expect(days === undefined || days >= 365, `${id}: ${days}`).toBe(true);
    const ids = groups.map(([id]) => id).join(' ');
    for (const part of ['ApiLogs', 'CacheSlowLog', 'FlowLog', 'SiteLogs', 'ApiUserLogs']) expect(ids).toContain(part);
  });
});

describe('dev platform: shorter logs allowed', () => {
  it('keeps a month by default in development', () => {
    const dev = synthesisePlatform('dev');
    const groups = logGroups(dev.template);
    expect(groups.find(([id]) => id.includes('ApiLogs'))![1]).toBe(30);
    for (const [id, days] of groups) expect(days, id).toBe(30);
  });
});
