import { Duration } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { CustomMonitoringProps } from 'cdk-monitoring-constructs';
import { above, ALARM_THRESHOLDS as T, atLeast } from './monitoring-defaults.ts';

const MINUTE = Duration.minutes(1);

/** The load balancer: its own 5xx, the app's 5xx, unhealthy targets, p99 latency, refused connections. */
export function loadBalancerMonitoring(loadBalancer: elbv2.ApplicationLoadBalancer, targetGroup: elbv2.ApplicationTargetGroup): CustomMonitoringProps {
  const alb = { LoadBalancer: loadBalancer.loadBalancerFullName };
  const targets = { ...alb, TargetGroup: targetGroup.targetGroupFullName };
  const metric = (metricName: string, statistic: string, dimensionsMap: Record<string, string>, label: string) =>
    new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName, statistic, dimensionsMap, period: MINUTE, label });
  return {
    alarmFriendlyName: 'LoadBalancer',
    humanReadableName: 'Load balancer',
    metricGroups: [
      {
        title: 'Errors',
        metrics: [
          {
            alarmFriendlyName: 'Elb5xx',
            metric: metric('HTTPCode_ELB_5XX_Count', 'Sum', alb, 'Load balancer 5xx'),
            addAlarm: atLeast(T.loadBalancer5xxPerMinute, { evaluationPeriods: 5, datapointsToAlarm: 3, description: 'The load balancer itself answers 5xx: no healthy target, or targets that reset or time out.' }),
          },
          {
            alarmFriendlyName: 'Target5xx',
            metric: metric('HTTPCode_Target_5XX_Count', 'Sum', targets, 'API 5xx'),
            addAlarm: atLeast(T.loadBalancer5xxPerMinute, { evaluationPeriods: 5, datapointsToAlarm: 3, description: 'The API answers 5xx (503 when MySQL or Redis is unreachable).' }),
          },
          {
            alarmFriendlyName: 'RejectedConnections',
            metric: metric('RejectedConnectionCount', 'Sum', alb, 'Rejected connections'),
            addAlarm: atLeast(1, { evaluationPeriods: 3, datapointsToAlarm: 2, description: 'The load balancer refused connections: it reached its connection limit.' }),
          },
        ],
      },
      {
        title: 'Targets',
        metrics: [
          {
            alarmFriendlyName: 'UnhealthyHosts',
            metric: metric('UnHealthyHostCount', 'Maximum', targets, 'Unhealthy targets'),
            addAlarm: atLeast(1, { evaluationPeriods: 5, description: 'An API instance fails its health check (/readyz: MySQL and Redis reachable) for 5 minutes.' }),
          },
          {
            alarmFriendlyName: 'TargetResponseTimeP99',
            metric: metric('TargetResponseTime', 'p99', alb, 'Response time p99 (s)'),
            addAlarm: above(T.targetResponseTimeP99Seconds, { evaluationPeriods: 5, description: 'One request in a hundred takes longer than a second, 5 minutes in a row.' }),
          },
        ],
      },
    ],
  };
}

/** The group metrics the Auto Scaling alarm and widgets read: collected only when enabled on the group. */
export const AUTO_SCALING_GROUP_METRICS = [
  autoscaling.GroupMetric.DESIRED_CAPACITY,
  autoscaling.GroupMetric.IN_SERVICE_INSTANCES,
  autoscaling.GroupMetric.PENDING_INSTANCES,
  autoscaling.GroupMetric.MIN_SIZE,
  autoscaling.GroupMetric.MAX_SIZE,
];

/**
 * Turns on the group metrics of `group` (1-minute granularity, free of charge). AutoScalingGroup takes
 * them only as a constructor prop, so the monitoring sets the CloudFormation property it renders to.
 */
export function enableGroupMetrics(group: autoscaling.AutoScalingGroup): void {
  const resource = group.node.defaultChild as autoscaling.CfnAutoScalingGroup;
  resource.metricsCollection = [{ granularity: '1Minute', metrics: AUTO_SCALING_GROUP_METRICS.map((metric) => metric.name) }];
}

/** Auto Scaling: fewer instances in service than the group wants, for longer than a launch takes. */
export function autoScalingMonitoring(group: autoscaling.IAutoScalingGroup): CustomMonitoringProps {
  const metric = (metricName: string, label: string) =>
    new cloudwatch.Metric({ namespace: 'AWS/AutoScaling', metricName, statistic: 'Minimum', dimensionsMap: { AutoScalingGroupName: group.autoScalingGroupName }, period: MINUTE, label });
  const missing = new cloudwatch.MathExpression({
    expression: 'desired - inService',
    usingMetrics: { desired: metric('GroupDesiredCapacity', 'Desired'), inService: metric('GroupInServiceInstances', 'In service') },
    period: MINUTE,
    label: 'Instances missing (desired - in service)',
  });
  const minutes = T.inServiceBelowDesiredFor.toMinutes();
  return {
    alarmFriendlyName: 'AutoScaling',
    humanReadableName: 'Auto Scaling group',
    metricGroups: [
      {
        title: 'Instances',
        metrics: [metric('GroupDesiredCapacity', 'Desired'), metric('GroupInServiceInstances', 'In service'), metric('GroupPendingInstances', 'Pending')],
      },
      {
        title: 'Below desired',
        metrics: [
          {
            alarmFriendlyName: 'InServiceBelowDesired',
            metric: missing,
            addAlarm: above(0, { evaluationPeriods: minutes, description: `Fewer instances in service than desired for ${minutes} minutes: launches fail, or new instances never pass the health check.` }),
          },
        ],
      },
    ],
  };
}
