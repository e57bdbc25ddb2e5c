import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Cache } from '../../constructs/cache.ts';
import { elastiCacheId } from '../../constructs/cache-users.ts';
import { apiAclRules } from '../../shared/redis-acl.ts';
import { logicalId, newStack } from './support/cdk-app.ts';
import { testVpc } from './support/vpc.ts';

describe('Cache: ElastiCache RBAC instead of an AUTH token', () => {
  const stack = newStack();
  const cache = new Cache(stack, 'Cache', { vpc: testVpc(stack), production: false, keyPrefix: 'tk:' });
  const template = Template.fromStack(stack);
  const id = (construct: Parameters<typeof logicalId>[1]) => logicalId(stack, construct);
  const cfnId = (resource: Parameters<typeof stack.getLogicalId>[0]) => stack.getLogicalId(resource);

  it('puts the user group on the replication group, with TLS required and no AUTH token', () => {
    const group = Object.values(template.findResources('AWS::ElastiCache::ReplicationGroup'))[0]!['Properties'];
    expect(group).toMatchObject({ UserGroupIds: [{ Ref: id(cache.users) }], TransitEncryptionEnabled: true, TransitEncryptionMode: 'required' });
    expect(group.AuthToken).toBeUndefined();
  });

  it("holds the required default user, switched off, and the API's user in the group", () => {
    template.hasResourceProperties('AWS::ElastiCache::UserGroup', { Engine: 'redis', UserIds: [{ Ref: cfnId(cache.users.defaultUser) }, { Ref: cfnId(cache.users.apiUser) }] });
    template.hasResourceProperties('AWS::ElastiCache::User', { UserName: 'default', AccessString: 'off -@all', NoPasswordRequired: true });
  });

  it("limits the API's user to its key prefix and commands by the ACL tested locally, its password a dynamic reference", () => {
    template.hasResourceProperties('AWS::ElastiCache::User', {
      Engine: 'redis',
      UserName: 'ticketkit-api',
      AccessString: apiAclRules('tk:'),
      Passwords: [Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('resolve:secretsmanager'), ':SecretString:password::}}'])]) })],
    });
    // What ioredis sends on connect (INFO) and in cluster mode (CLUSTER SLOTS) is in it.
    expect(apiAclRules('tk:')).toMatch(/^on ~tk:\* -@all /);
    expect(apiAclRules('tk:').split(' ')).toEqual(expect.arrayContaining(['+info', '+cluster|slots', '+evalsha']));
    // The secret holds {"username","password"}, the shape REDIS_SECRET_ARN names.
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { SecretStringTemplate: '{"username":"ticketkit-api"}', GenerateStringKey: 'password', PasswordLength: 64, ExcludePunctuation: true },
      KmsKeyId: Match.anyValue(),
    });
  });

  it('gives users and groups ids unique per stack and construct (ids are per account and region), in the form ElastiCache accepts', () => {
    const ids = [cache.users.apiUser.userId, cache.users.defaultUser.userId, cache.users.userGroup.userGroupId];
    expect(new Set(ids).size).toBe(3);
    for (const value of ids) expect(value).toMatch(/^[a-z](?!.*--)[a-z0-9-]{0,38}[a-z0-9]$/);
    const otherStack = newStack();
    expect(elastiCacheId(new Cache(otherStack, 'Cache', { vpc: testVpc(otherStack), production: false }).users, 'api')).toBe(cache.users.apiUser.userId);
    const renamed = newStack();
    expect(elastiCacheId(new Cache(renamed, 'Other', { vpc: testVpc(renamed), production: false }).users, 'api')).not.toBe(cache.users.apiUser.userId);
  });

  it('refuses a key prefix the API would refuse and a user named default', () => {
    const withProps = (props: { keyPrefix?: string; apiUserName?: string }) => () => {
      const other = newStack();
      return new Cache(other, 'Cache', { vpc: testVpc(other), production: false, ...props });
    };
    expect(withProps({ keyPrefix: 'tk *' })).toThrow(/keyPrefix "tk \*" is invalid/);
    expect(withProps({ apiUserName: 'default' })).toThrow(/apiUserName "default" is invalid/);
  });
});
