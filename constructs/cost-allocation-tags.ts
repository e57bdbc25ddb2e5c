import { Tags } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Characters AWS accepts in tag keys and values (letters and digits of any language, spaces and `_.:/=+-@`). */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * The cost-allocation tags: `project`, `environment` and `owner` by default, then the caller's (which may
 * override them or add more). Activate them as cost allocation tags in the billing console to split the
 * bill by them. Every bad key or value is named at once.
 */
export function costAllocationTags(production: boolean, given: Readonly<Record<string, string>> = {}): Record<string, string> {
  const tags: Record<string, string> = { project: 'ticketkit', environment: production ? 'production' : 'development', owner: 'unassigned', ...given };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key) || key.toLowerCase().startsWith('aws:')) {
      problems.push(`key "${key}" is invalid (1-128 letters, digits, spaces or _.:/=+-@, not starting with aws:)`);
    }
    if (value.length > 256 || !TAG_TEXT.test(value)) problems.push(`value "${value}" of ${key} is invalid (at most 256 letters, digits, spaces or _.:/=+-@)`);
  }
  if (problems.length > 0) throw new Error(`Tags: ${problems.join('; ')}.`);
  return tags;
}

/** Adds `tags` to every taggable resource under `scope` (CDK applies them at synthesis). */
export function applyTags(scope: IConstruct, tags: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(tags)) Tags.of(scope).add(key, value);
}
