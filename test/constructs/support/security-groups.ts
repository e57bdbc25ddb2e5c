import type { Template } from 'aws-cdk-lib/assertions';

/** One ingress rule: which group admits whom on which ports. Sources are CIDRs, prefix list ids or group logical ids. */
export interface IngressRule {
  readonly group: string;
  readonly source: string;
  readonly fromPort: unknown;
  readonly toPort: unknown;
}

type Json = Record<string, unknown>;

function groupRef(value: unknown): string {
  const v = value as Json | undefined;
  const getAtt = v?.['Fn::GetAtt'] as string[] | undefined;
  if (getAtt) return getAtt[0]!;
  const ref = v?.['Ref'] as string | undefined;
  return ref ?? JSON.stringify(value);
}

function source(rule: Json): string {
  if (rule['CidrIp']) return String(rule['CidrIp']);
  if (rule['CidrIpv6']) return String(rule['CidrIpv6']);
  if (rule['SourcePrefixListId']) return String(rule['SourcePrefixListId']);
  return groupRef(rule['SourceSecurityGroupId']);
}

/** Every ingress rule of the template, inline (in the group) or standalone (AWS::EC2::SecurityGroupIngress). */
export function ingressRules(template: Template): IngressRule[] {
  const rules: IngressRule[] = [];
  for (const [id, group] of Object.entries(template.findResources('AWS::EC2::SecurityGroup'))) {
    for (const rule of ((group['Properties'] as Json)['SecurityGroupIngress'] as Json[] | undefined) ?? []) {
      rules.push({ group: id, source: source(rule), fromPort: rule['FromPort'], toPort: rule['ToPort'] });
    }
  }
  for (const resource of Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))) {
    const rule = resource['Properties'] as Json;
    rules.push({ group: groupRef(rule['GroupId']), source: source(rule), fromPort: rule['FromPort'], toPort: rule['ToPort'] });
  }
  return rules;
}

/** The user data script of the first launch template, with tokens rendered as `{ref}` markers. */
export function launchTemplateUserData(template: Template): string {
  const [launchTemplate] = Object.values(template.findResources('AWS::EC2::LaunchTemplate'));
  const data = ((launchTemplate!['Properties'] as Json)['LaunchTemplateData'] as Json)['UserData'] as Json;
  const join = (data['Fn::Base64'] as Json)['Fn::Join'] as [string, unknown[]];
  return join[1].map((part) => (typeof part === 'string' ? part : `{${JSON.stringify(part)}}`)).join(join[0]);
}
