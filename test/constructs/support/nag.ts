import type { IConstruct } from 'constructs';
import { Validations } from 'aws-cdk-lib';

/** Every acknowledgement recorded under `scope`: id, reason and where it sits. */
export function acknowledgementsUnder(scope: IConstruct): { id: string; reason: string; path: string }[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ id, reason, path: construct.node.path }))),
  );
}
