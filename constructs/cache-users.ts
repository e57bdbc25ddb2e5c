import { Names, type RemovalPolicy } from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { apiAclRules } from '../shared/redis-acl.ts';
import { acknowledge, complianceRules, nagRule } from './nag/acknowledge.ts';

export interface CacheUsersProps {
  /** REDIS_KEY_PREFIX of the API: the only keys its user may touch. */
  readonly keyPrefix: string;
  /** The Redis user name the API signs in as (REDIS_URL's user). */
  readonly apiUserName: string;
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * ElastiCache RBAC for the API: a user limited by ACL to the API's key prefix and the commands it sends
 * (shared/redis-acl.ts, the rules tested against a local Redis), its password in a Secrets Manager secret,
 * and a user group that also holds the required `default` user, switched off. User and group ids are unique
 * per account and region: they derive from the stack and construct path.
 */
export class CacheUsers extends Construct {
  public readonly apiUser: elasticache.CfnUser;
  /** `{"username","password"}`: what REDIS_SECRET_ARN names. */
  public readonly apiUserSecret: secretsmanager.Secret;
  /** The group's `default` user: `off`, so a connection that does not sign in can do nothing. */
  public readonly defaultUser: elasticache.CfnUser;
  public readonly userGroup: elasticache.CfnUserGroup;

  constructor(scope: Construct, id: string, props: CacheUsersProps) {
    super(scope, id);
    this.apiUserSecret = new secretsmanager.Secret(this, 'ApiUserSecret', {
      description: `Redis user ${props.apiUserName} of ${scope.node.path} (ElastiCache RBAC)`,
      encryptionKey: props.encryptionKey,
      // ElastiCache accepts 16-128 printable characters without @, " or /; alphanumerics also fit a URL unescaped.
      generateSecretString: { secretStringTemplate: JSON.stringify({ username: props.apiUserName }), generateStringKey: 'password', passwordLength: 64, excludePunctuation: true },
      removalPolicy: props.removalPolicy,
    });
    this.apiUser = new elasticache.CfnUser(this, 'ApiUser', {
      engine: 'redis',
      userId: elastiCacheId(this, 'api'),
      userName: props.apiUserName,
      accessString: apiAclRules(props.keyPrefix),
      // A dynamic reference: CloudFormation resolves it; the template never holds the password.
      passwords: [this.apiUserSecret.secretValueFromJson('password').unsafeUnwrap()],
    });
    this.defaultUser = new elasticache.CfnUser(this, 'DefaultUser', {
      engine: 'redis',
      userId: elastiCacheId(this, 'default'),
      userName: 'default',
      accessString: 'off -@all',
      noPasswordRequired: true,
    });
    this.userGroup = new elasticache.CfnUserGroup(this, 'Resource', {
      engine: 'redis',
      userGroupId: elastiCacheId(this, 'users'),
      userIds: [this.defaultUser.ref, this.apiUser.ref],
    });
    acknowledge(
      this.apiUserSecret,
      [nagRule('AwsSolutions', 'SMG4'), ...complianceRules('SecretsManagerRotationEnabled', ['NIST.800.53.R5', 'HIPAA.Security'])],
      'An ElastiCache user holds two passwords: rotation adds the new one to the user, puts it in this secret, and removes the old one once every instance has re-read the secret (docs/credentials-and-replicas.md); a single-step Lambda rotation would lock out connections still using the old one.',
    );
  }
}

/**
 * An ElastiCache user or group id: a letter first, then lowercase letters, digits and single hyphens, at most
 * 40 characters; unique per stack and construct path (the hash that Names adds), as ids are per account and region.
 */
export function elastiCacheId(scope: Construct, purpose: string): string {
  const unique = Names.uniqueResourceName(scope, { maxLength: 40 - purpose.length - 1, separator: '-' })
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z]+/, '');
  return `${unique}-${purpose}`.replace(/-{2,}/g, '-');
}
