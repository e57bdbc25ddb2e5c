import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { CustomMonitoringProps } from 'cdk-monitoring-constructs';
import { businessMetricNames } from '../shared/business-metric-names.ts';
import { ALARM_THRESHOLDS as T, atLeast } from './monitoring-defaults.ts';

// The names the API writes as CloudWatch Embedded Metric Format in its log (shared/business-metric-names.ts):
// totals without dimensions at every flush, breakdowns by Reason, Dependency or EventId when they happened.

/** The business metrics the dashboard graphs, by what they count. */
export const BUSINESS_METRIC_NAMES = businessMetricNames;

/** The dependencies whose outage the API answers with 503 (the `Dependency` dimension of DependencyUnavailable). */
export const API_DEPENDENCIES = ['mysql', 'redis', 's3'] as const;

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Sales as the API counts them, and alarms on what means a lost or wrong sale: purchases that failed,
 * sales the ledger refused because Redis said the seats were held when MySQL knew better, and 503s by
 * dependency. A quiet platform writes zeros (or nothing, before the first instance): missing data is
 * never an incident.
 */
export function businessMonitoring(namespace: string): CustomMonitoringProps {
  const metric = (metricName: string, dimensionsMap: Record<string, string> = {}, label = metricName) =>
    new cloudwatch.Metric({ namespace, metricName, statistic: 'Sum', dimensionsMap, period: FIVE_MINUTES, label });
  return {
    alarmFriendlyName: 'Business',
    humanReadableName: `Sales (EMF metrics of the API, namespace ${namespace})`,
    metricGroups: [
      { title: 'Holds', metrics: [metric('HoldsGranted'), metric('HoldsRefused')] },
      { title: 'Sales', metrics: [metric('PurchasesCommitted'), metric('SeatsSold')] },
      {
        title: 'Lost or wrong sales',
        metrics: [
          {
            alarmFriendlyName: 'PurchaseFailures',
            metric: metric('PurchaseFailures'),
            addAlarm: atLeast(T.purchaseFailuresPer5Minutes, { evaluationPeriods: 1, description: 'Buyers who held seats could not buy them: the ledger (MySQL) was unreachable or refused the sale.' }),
          },
          {
            alarmFriendlyName: 'LedgerRefusedSales',
            metric: metric('LedgerRefusedSales'),
            addAlarm: atLeast(T.ledgerRefusedSales, { evaluationPeriods: 1, description: 'MySQL refused a sale Redis had allowed: Redis held seats that were already sold (lost or stale inventory).' }),
          },
        ],
      },
      {
        title: '503 by dependency',
        metrics: API_DEPENDENCIES.map((dependency) => ({
          alarmFriendlyName: `DependencyUnavailable-${dependency}`,
          metric: metric('DependencyUnavailable', { Dependency: dependency }, `503: ${dependency} unavailable`),
          addAlarm: atLeast(T.dependencyUnavailablePer5Minutes, { evaluationPeriods: 1, description: `The API answered 503 because ${dependency} was unreachable.` }),
        })),
      },
      { title: 'Inventory rebuilt from MySQL', metrics: [metric('InventoryRebuilds')] },
      { title: 'Waiting room', metrics: [metric('QueueJoined'), metric('QueueAdmitted'), metric('QueueAdmissionsExpired')] },
    ],
  };
}
