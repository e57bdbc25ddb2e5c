import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { CustomMetricGroup, CustomMonitoringProps } from 'cdk-monitoring-constructs';
import { above, ALARM_THRESHOLDS as T } from './monitoring-defaults.ts';

const FIVE_MINUTES = Duration.minutes(5);
/** CloudFront (and its web ACLs) report only to us-east-1. */
export const CLOUDFRONT_METRICS_REGION = 'us-east-1';

/**
 * CloudFront's 5xx error rate. Its metrics live in us-east-1 under `Region=Global`, and CloudWatch alarms
 * cannot watch another region's metrics: with `alarm` false (a stack outside us-east-1) it is only graphed,
 * and the alarm belongs in a us-east-1 stack (see docs/operations.md).
 */
export function cloudFrontMonitoring(distributionId: string, alarm: boolean): CustomMonitoringProps {
  const metric = new cloudwatch.Metric({
    namespace: 'AWS/CloudFront',
    metricName: '5xxErrorRate',
    statistic: 'Average',
    dimensionsMap: { DistributionId: distributionId, Region: 'Global' },
    region: CLOUDFRONT_METRICS_REGION,
    period: FIVE_MINUTES,
    label: '5xx error rate (%)',
  });
  return {
    alarmFriendlyName: 'CloudFront',
    humanReadableName: 'CloudFront',
    metricGroups: [
      {
        title: '5xx error rate',
        metrics: [
          alarm
            ? {
                alarmFriendlyName: 'ErrorRate5xx',
                metric,
                addAlarm: above(T.cloudFront5xxPercent, { description: `More than ${T.cloudFront5xxPercent} % of CloudFront responses are 5xx for 15 minutes: the origin (load balancer, API) or CloudFront fails buyers.` }),
              }
            : metric,
        ],
      },
    ],
  };
}

/** A web ACL to watch: the load balancer's (regional) or the distribution's (CLOUDFRONT, us-east-1). */
export interface MonitoredWebAcl {
  readonly webAcl: wafv2.CfnWebACL;
  /** Dashboard and alarm name part. */
  readonly name: string;
  /** Whether the alarm can live in this stack (a CLOUDFRONT ACL's metrics are in us-east-1). */
  readonly alarm: boolean;
}

/**
 * Blocked-request spikes of each web ACL. WAF reports under `WebACL` = the ACL's visibility metric name
 * (the kit's ACLs have no fixed name, so cdk-monitoring-constructs' WAF monitor, which uses the name,
 * would watch nothing), `Rule=ALL`, and `Region` for regional ACLs.
 */
export function webAclMonitoring(acls: readonly MonitoredWebAcl[], region: string): CustomMonitoringProps {
  const groups: CustomMetricGroup[] = acls.map(({ webAcl, name, alarm }) => {
    const visibility = webAcl.visibilityConfig as wafv2.CfnWebACL.VisibilityConfigProperty;
    const regional = webAcl.scope === 'REGIONAL';
    const metric = new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      statistic: 'Sum',
      dimensionsMap: { WebACL: visibility.metricName, Rule: 'ALL', ...(regional ? { Region: region } : {}) },
      region: regional ? undefined : CLOUDFRONT_METRICS_REGION,
      period: FIVE_MINUTES,
      label: `${name}: blocked requests`,
    });
    return {
      title: `${name}: blocked requests`,
      metrics: [
        alarm
          ? {
              alarmFriendlyName: `${name}Blocked`,
              metric,
              addAlarm: above(T.wafBlockedPer5Minutes, {
                evaluationPeriods: 1,
                description: `${name} blocked more than ${T.wafBlockedPer5Minutes} requests in 5 minutes: an attack or a bot wave, or a rule now blocking real buyers.`,
              }),
            }
          : metric,
      ],
    };
  });
  return { alarmFriendlyName: 'Waf', humanReadableName: 'WAF', metricGroups: groups };
}
