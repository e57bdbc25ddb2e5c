import { Aspects, type IAspect, type IPostProcessor, type IResolvable, type IResolveContext } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';

/** The condition that lets a principal create a grant only when an AWS service integrated with KMS asks for it. */
export const GRANT_FOR_AWS_RESOURCE_CONDITION = { Bool: { 'kms:GrantIsForAWSResource': 'true' } } as const;

interface Statement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

const restricted = new WeakSet<kms.CfnKey>();
/** What each wildcard that covers kms:CreateGrant is replaced by, so the statement keeps everything else. */
const WIDE = new Set(['*', 'kms:*']);
const CREATE_ACTIONS_BUT_GRANT = ['kms:CreateAlias', 'kms:CreateCustomKeyStore', 'kms:CreateKey'];

/**
 * Rewrites a resolved key policy so that no Allow statement grants kms:CreateGrant without
 * `kms:GrantIsForAWSResource: true` (AWS Control Tower's proactive KMS control): CDK's default admin
 * statement (`kms:*` for the account) becomes everything but CreateGrant, plus CreateGrant for AWS services
 * only (RDS, EBS, ElastiCache and Secrets Manager create their grants that way); an explicit CreateGrant gets
 * the condition. A pattern it cannot split fails the synth, naming the statement.
 */
export function restrictCreateGrant(policy: { Statement?: Statement[] }): { Statement?: Statement[] } {
  if (!policy?.Statement) return policy;
  const statements = policy.Statement.flatMap((statement): Statement[] => {
    if (statement.Effect !== 'Allow' || !statement.Action || hasGrantCondition(statement)) return [statement];
    const actions = [statement.Action].flat();
    const covering = actions.filter((action) => coversCreateGrant(action));
    if (covering.length === 0) return [statement];
    const { Action: _action, Sid: sid, ...rest } = statement;
    const grantOnly: Statement = { ...rest, ...(sid ? { Sid: `${String(sid)}GrantsForAwsResources` } : {}), Action: 'kms:CreateGrant', Condition: { ...statement.Condition, ...GRANT_FOR_AWS_RESOURCE_CONDITION } };
    const others = actions.filter((action) => !coversCreateGrant(action));
    for (const action of covering) {
      if (WIDE.has(action)) {
        if (actions.length !== 1) throw new Error(`restrictCreateGrant: a key policy statement allows ${action} beside other actions (${actions.join(', ')}); split it so kms:CreateGrant can be limited to AWS services.`);
        return [{ ...statement, Action: undefined, NotAction: 'kms:CreateGrant' }, grantOnly].map(withoutUndefined);
      }
      if (action.toLowerCase() === 'kms:create*') others.push(...CREATE_ACTIONS_BUT_GRANT);
      else if (action.toLowerCase() !== 'kms:creategrant') throw new Error(`restrictCreateGrant: cannot split ${action} in a key policy statement; list its actions so kms:CreateGrant can be limited to AWS services.`);
    }
    return others.length ? [{ ...statement, Action: others.length === 1 ? others[0] : others }, grantOnly] : [grantOnly];
  });
  return { ...policy, Statement: statements };
}

/** Limits kms:CreateGrant to AWS services in the policy of `key` (once, however often it is called). */
export function restrictKeyGrants(key: kms.Key): void {
  const cfnKey = key.node.defaultChild as kms.CfnKey;
  // The key's PolicyDocument (a token until synth), wrapped: statements added later are rewritten too.
  const policy = cfnKey.keyPolicy as IResolvable | undefined;
  if (restricted.has(cfnKey) || !policy) return;
  restricted.add(cfnKey);
  cfnKey.keyPolicy = new RestrictedPolicy(policy);
}

/** Applies `restrictKeyGrants` to every KMS key under a construct, created before or after (at synth). */
export class KeyGrantsForAwsServicesOnly implements IAspect {
  /** Adds the aspect to `scope` (one per scope). */
  public static applyTo(scope: IConstruct): void {
    if (!Aspects.of(scope).all.some((aspect) => aspect instanceof KeyGrantsForAwsServicesOnly)) Aspects.of(scope).add(new KeyGrantsForAwsServicesOnly());
  }

  public visit(node: IConstruct): void {
    if (node instanceof kms.Key) restrictKeyGrants(node);
  }
}

/** The key's own policy document, rewritten once fully resolved (statements merged, tokens rendered). */
class RestrictedPolicy implements IResolvable, IPostProcessor {
  public readonly creationStack: string[] = [];

  constructor(private readonly policy: IResolvable) {}

  public resolve(context: IResolveContext): unknown {
    context.registerPostProcessor(this);
    return this.policy;
  }

  public postProcess(input: unknown): unknown {
    return restrictCreateGrant(input as { Statement?: Statement[] });
  }

  public toString(): string {
    return 'RestrictedKeyPolicy';
  }
}

function coversCreateGrant(action: string): boolean {
  const pattern = new RegExp(`^${action.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return pattern.test('kms:CreateGrant');
}

function hasGrantCondition(statement: Statement): boolean {
  return Object.values(statement.Condition ?? {}).some((operator) => String(operator['kms:GrantIsForAWSResource']) === 'true');
}

function withoutUndefined(statement: Statement): Statement {
  return Object.fromEntries(Object.entries(statement).filter(([, value]) => value !== undefined)) as Statement;
}
