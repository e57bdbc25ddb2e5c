import type { Database } from './database.ts';
import type { DatabaseSettings } from './database-defaults.ts';
import { acknowledge, complianceRules, nagRule } from './nag/acknowledge.ts';

/** The database's accepted findings, each beside the resource it concerns. */
export function acknowledgeDatabaseFindings(database: Database, settings: DatabaseSettings): void {
  const monitoringRole = database.instance.node.tryFindChild('MonitoringRole');
  if (monitoringRole) {
    acknowledge(
      monitoringRole,
      [nagRule('AwsSolutions', 'IAM4', 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole')],
      'AmazonRDSEnhancedMonitoringRole is the AWS-maintained policy RDS needs to publish enhanced monitoring metrics; it grants nothing else.',
    );
  }
  acknowledge(
    database.instance,
    complianceRules('RDSInBackupPlan', ['NIST.800.53.R5', 'HIPAA.Security']),
    'Automated backups with point-in-time restore (14 days by default) and a final snapshot protect the ledger; AWS Backup plans are applied organisation-wide, not per stack.',
  );
  if (!settings.multiAz) {
    acknowledge(
      database.instance,
      [nagRule('AwsSolutions', 'RDS3'), ...complianceRules('RDSMultiAZSupport')],
      'Development database runs in one Availability Zone to halve its cost; production is Multi-AZ and the construct refuses single-AZ there.',
    );
  }
  if (!settings.deletionProtection) {
    acknowledge(
      database.instance,
      [nagRule('AwsSolutions', 'RDS10'), ...complianceRules('RDSInstanceDeletionProtectionEnabled')],
      'Development databases are disposable and torn down with their stack; production keeps deletion protection and a final snapshot.',
    );
  }
}
