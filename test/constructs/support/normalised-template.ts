/**
 * A template with what feature flags change without changing meaning taken out, so two syntheses can
 * be compared whole: intrinsics rendered as text with the partition as `aws` (partition literals), and
 * every policy document as its sorted set of single grants (effect, principal, action, resource,
 * condition), whatever statements they were grouped into (policy minimisation, action order).
 */
export function normalisedResources(template: Record<string, unknown>): Record<string, unknown> {
  const resources = render((template as { Resources: Record<string, unknown> }).Resources) as Record<string, { Properties?: Record<string, unknown> }>;
  for (const resource of Object.values(resources)) {
    const properties = resource.Properties ?? {};
    for (const key of ['PolicyDocument', 'KeyPolicy', 'ResourcePolicy', 'AssumeRolePolicyDocument']) {
      if (properties[key]) properties[key] = grants(properties[key]);
    }
    if (Array.isArray(properties['Policies'])) {
      properties['Policies'] = (properties['Policies'] as { PolicyDocument: unknown }[]).map((policy) => ({ ...policy, PolicyDocument: grants(policy.PolicyDocument) }));
    }
  }
  return resources;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function render(value: unknown): Json {
  if (Array.isArray(value)) return value.map(render);
  if (value === null || typeof value !== 'object') return value as Json;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, argument] = entries[0]!;
    if (key === 'Ref') return argument === 'AWS::Partition' ? 'aws' : `\${${String(argument)}}`;
    if (key === 'Fn::GetAtt') return `\${${(argument as string[]).join('.')}}`;
    if (key === 'Fn::Join') {
      const [separator, parts] = argument as [string, unknown[]];
      return parts.map((part) => render(part)).map((part) => (typeof part === 'string' ? part : stableJson(part))).join(separator);
    }
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, render(item)]));
}

function grants(document: unknown): string[] {
  const statements = ((document as { Statement?: Record<string, Json>[] }).Statement ?? []);
  const all = new Set<string>();
  for (const statement of statements) {
    for (const action of [statement['Action'] ?? statement['NotAction']].flat()) {
      for (const resource of [statement['Resource'] ?? '-'].flat()) {
        all.add(stableJson([statement['Effect'] ?? null, statement['Principal'] ?? null, action ?? null, resource, statement['Condition'] ?? null]));
      }
    }
  }
  return [...all].sort();
}

function stableJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${stableJson(value[key]!)}`).join(',')}}`;
}
