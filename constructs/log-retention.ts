import type { IAspect } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

/** Audit logs of production keep a year at least (AWS Control Tower; PCI DSS 10.7). */
export const MIN_PRODUCTION_LOG_DAYS = 365;

/** The retention of a platform's log groups: one year in production, a month in development, unless chosen. */
export function logRetentionFor(production: boolean, chosen?: logs.RetentionDays): logs.RetentionDays {
  const retention = chosen ?? (production ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_MONTH);
  if (production && retention !== logs.RetentionDays.INFINITE && retention < MIN_PRODUCTION_LOG_DAYS) {
    throw new Error(`logRetention of ${retention} days is too short for production; keep at least ${MIN_PRODUCTION_LOG_DAYS} days (logs.RetentionDays.ONE_YEAR) or set production: false.`);
  }
  return retention;
}

/**
 * Gives every CloudWatch log group under a construct the same retention, including those its parts and
 * libraries create (flow logs, WAF, site deployment, custom resources): one setting, nothing left at a default.
 */
export class LogRetentionForAll implements IAspect {
  constructor(private readonly retention: logs.RetentionDays) {}

  public visit(node: IConstruct): void {
    if (node instanceof logs.CfnLogGroup) node.retentionInDays = this.retention === logs.RetentionDays.INFINITE ? undefined : this.retention;
  }
}
