import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The cdk-nag 3 packs this kit is held to, by their validation plugin names. */
export const NAG_PACK_NAMES = ['AwsSolutions', 'PCI.DSS.321', 'NIST.800.53.R5', 'HIPAA.Security'] as const;
export type NagPackName = (typeof NAG_PACK_NAMES)[number];

const MIN_REASON_LENGTH = 20;
const PACK_RULE_FORM = /^[A-Za-z0-9.-]+::\S+$/;

/**
 * The `Pack::Rule` id that CDK's validation report uses for a cdk-nag finding,
 * e.g. `nagRule('AwsSolutions', 'EC23')` is `AwsSolutions::AwsSolutions-EC23`.
 * `finding` narrows it to one finding of a multi-finding rule (`Resource::*`).
 */
export function nagRule(pack: NagPackName, rule: string, finding?: string): string {
  const id = `${pack}::${pack}-${rule}`;
  return finding === undefined ? id : `${id}[${finding}]`;
}

/**
 * A resolved template value as cdk-nag writes it in a finding: `{ Ref: X }` as `<X>`, `Fn::GetAtt` as
 * `<X.Attr>`, `Fn::Join` joined; e.g. the asset bucket's objects are `arn:<AWS::Partition>:s3:::name/*`
 * when the partition is a token and `arn:aws:s3:::name/*` when it is a literal.
 */
export function nagFindingText(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = (value ?? {}) as { Ref?: string; 'Fn::GetAtt'?: [string, string]; 'Fn::Join'?: [string, unknown[]] };
  if (intrinsic.Ref !== undefined) return `<${intrinsic.Ref}>`;
  if (intrinsic['Fn::GetAtt']) return `<${intrinsic['Fn::GetAtt'].join('.')}>`;
  if (intrinsic['Fn::Join']) return intrinsic['Fn::Join'][1].map(nagFindingText).join(intrinsic['Fn::Join'][0]);
  return JSON.stringify(value);
}

/** The same compliance rule in the three compliance packs that share its name. */
export function complianceRules(rule: string, packs: readonly NagPackName[] = ['PCI.DSS.321', 'NIST.800.53.R5', 'HIPAA.Security']): string[] {
  return packs.map((pack) => nagRule(pack, rule));
}

/**
 * Acknowledges findings on the construct they apply to (and its children).
 * Ids use the `Pack::Rule` form so CDK records them as acknowledged in the
 * validation report, and the reason must say why the finding is acceptable.
 */
export function acknowledge(scope: IConstruct, ids: readonly string[], reason: string): void {
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`Acknowledgement reason "${reason}" at ${scope.node.path} is too short: give a specific reason of at least ${MIN_REASON_LENGTH} characters.`);
  }
  for (const id of ids) {
    if (!PACK_RULE_FORM.test(id)) {
      throw new Error(`Acknowledgement id "${id}" at ${scope.node.path} must use the Pack::Rule form, e.g. "AwsSolutions::AwsSolutions-EC23".`);
    }
    Validations.of(scope).acknowledge({ id, reason });
  }
}
