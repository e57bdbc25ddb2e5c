// The business metrics the API writes as CloudWatch Embedded Metric Format (app/metrics/) and the
// monitoring construct graphs and alarms on (constructs/monitoring-alarms-business.ts): one list, so a
// renamed metric cannot leave an alarm watching nothing.

/** What the API counts; each name says what it counts (CloudWatch metric names). */
export const businessMetricNames = [
  'HoldsGranted',
  'HoldsRefused',
  'PurchasesCommitted',
  'SeatsSold',
  'PurchaseFailures',
  'LedgerRefusedSales',
  'DependencyUnavailable',
  'InventoryRebuilds',
  // The waiting room: buyers who took a place, places reached (admissions), admissions that lapsed unused or idle.
  'QueueJoined',
  'QueueAdmitted',
  'QueueAdmissionsExpired',
] as const;
