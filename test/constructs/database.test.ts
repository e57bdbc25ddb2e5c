import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Database } from '../../constructs/database.ts';
import { newStack } from './support/cdk-app.ts';
import { testVpc } from './support/vpc.ts';

const vpcIn = testVpc;

describe('Database', () => {
  it('defaults to encrypted Multi-AZ MySQL 8.4 on port 3307 with rotation, protection and monitoring', () => {
    const stack = newStack();
    const database = new Database(stack, 'Db', { vpc: vpcIn(stack) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'mysql',
      EngineVersion: Match.stringLikeRegexp('^8\\.4\\.'),
      EngineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      Port: '3307',
      MultiAZ: true,
      StorageEncrypted: true,
      DeletionProtection: true,
      BackupRetentionPeriod: 14,
      MonitoringInterval: 30,
      EnablePerformanceInsights: true,
    });
    template.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Snapshot' });
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: 'mysql8.4', Parameters: Match.objectLike({ require_secure_transport: '1' }) });
    template.hasResourceProperties('AWS::RDS::OptionGroup', { EngineName: 'mysql', MajorEngineVersion: '8.4', OptionConfigurations: [Match.objectLike({ OptionName: 'MARIADB_AUDIT_PLUGIN' })] });
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
    expect(database.binlogRetentionSql).toBe("CALL mysql.rds_set_configuration('binlog retention hours', 24)");
  });

  it('lets props override port, size, backups, binlog retention, replicas and proxy', () => {
    const stack = newStack();
    const database = new Database(stack, 'Db', {
      vpc: vpcIn(stack),
      production: false,
      port: 3400,
      instanceType: new ec2.InstanceType('t4g.medium'),
      backupRetention: Duration.days(3),
      binlogRetentionHours: 72,
      readReplicas: 1,
      proxy: true,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RDS::DBInstance', { Port: '3400', DBInstanceClass: 'db.t4g.medium', BackupRetentionPeriod: 3, MultiAZ: false, DeletionProtection: false });
    template.resourceCountIs('AWS::RDS::DBInstance', 2);
    template.hasResourceProperties('AWS::RDS::DBProxy', { RequireTLS: true, EngineFamily: 'MYSQL' });
    // The replica of an 8.4 primary: same parameter group, the primary's lifecycle (RDS applies the source's).
    const replica = Object.values(template.findResources('AWS::RDS::DBInstance', { Properties: { SourceDBInstanceIdentifier: Match.anyValue() } }))[0]!;
    expect(replica.Properties.DBParameterGroupName).toEqual(Object.values(template.findResources('AWS::RDS::DBInstance', { Properties: { Engine: 'mysql' } }))[0]!.Properties.DBParameterGroupName);
    expect(database.endpointPort).toBe(3306);
    expect(database.binlogRetentionSql).toContain("'binlog retention hours', 72");
  });

  it('takes another engine version and lifecycle when asked', () => {
    const stack = newStack();
    new Database(stack, 'Db', { vpc: vpcIn(stack), engineVersion: rds.MysqlEngineVersion.VER_8_0_45, engineLifecycleSupport: rds.EngineLifecycleSupport.OPEN_SOURCE_RDS_EXTENDED_SUPPORT });
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBInstance', { EngineVersion: '8.0.45', EngineLifecycleSupport: 'open-source-rds-extended-support' });
  });

  it('refuses the default port and single-AZ production, naming the fix', () => {
    const stack = newStack();
    const vpc = vpcIn(stack);
    expect(() => new Database(stack, 'A', { vpc, port: 3306 })).toThrow(/port 3306 is invalid; use a non-default port/);
    expect(() => new Database(stack, 'B', { vpc, multiAz: false })).toThrow(/keep multiAz true in production/);
  });
});
