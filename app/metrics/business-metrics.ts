import { businessMetricNames } from '../../shared/business-metric-names.ts';
import type { EmfRecord } from './emf-record.ts';
import { emfRecord } from './emf-record.ts';

/** What the API counts (the list lives in shared/, where the monitoring construct reads it too). */
export const metricNames = businessMetricNames;
export type MetricName = (typeof metricNames)[number];

/** Levels rather than counts: the last value seen before a flush is written, per event. */
// QueueStalledSeconds: how long a room has kept buyers waiting after its on-sale without reaching a place (the stall alarm's).
export const gaugeNames = ['QueueLength', 'QueueStalledSeconds'] as const;
export type GaugeName = (typeof gaugeNames)[number];

/** The one dimension a count may carry besides its total: why (a refusal, a failure), which dependency, or which event. */
export type Breakdown = { Reason: string } | { Dependency: 'mysql' | 'redis' | 's3' } | { EventId: string };

/**
 * Business events counted in process and written as CloudWatch Embedded Metric Format records at each
 * flush, so the hold path pays a Map update and no call to CloudWatch. Totals are written at every flush,
 * zeros included (a dashboard shows a quiet minute as 0, not as a gap); breakdowns only when they happened.
 */
export class BusinessMetrics {
  private totals = new Map<MetricName, number>();
  private breakdowns = new Map<string, { name: MetricName; breakdown: Breakdown; count: number }>();
  private gauges = new Map<string, { name: GaugeName; breakdown: Breakdown; value: number }>();

  constructor(private readonly namespace: string) {}

  count(name: MetricName, value = 1, breakdown?: Breakdown): void {
    this.totals.set(name, (this.totals.get(name) ?? 0) + value);
    if (!breakdown) return;
    const key = breakdownKey(name, breakdown);
    const entry = this.breakdowns.get(key);
    if (entry) entry.count += value;
    else this.breakdowns.set(key, { name, breakdown, count: value });
  }

  /** Records a level (e.g. buyers waiting in one event's queue); a flush writes the latest one. */
  gauge(name: GaugeName, value: number, breakdown: Breakdown): void {
    this.gauges.set(breakdownKey(name, breakdown), { name, breakdown, value });
  }

  /** The records of everything counted since the last drain (the totals, then one per breakdown), and a fresh start. */
  drain(now = Date.now()): EmfRecord[] {
    const totals = Object.fromEntries(metricNames.map((name) => [name, this.totals.get(name) ?? 0]));
    const records = [emfRecord(this.namespace, now, {}, totals)];
    for (const { name, breakdown, count } of this.breakdowns.values()) {
      records.push(emfRecord(this.namespace, now, breakdown as Record<string, string>, { [name]: count }));
    }
    for (const { name, breakdown, value } of this.gauges.values()) {
      records.push(emfRecord(this.namespace, now, breakdown as Record<string, string>, { [name]: value }));
    }
    this.totals = new Map();
    this.breakdowns = new Map();
    this.gauges = new Map();
    return records;
  }
}

/** `name`, the breakdown's one dimension and its value, as one Map key (no arrays made: every refused hold counts one). */
function breakdownKey(name: string, breakdown: Breakdown): string {
  for (const dimension in breakdown) return `${name}\u0000${dimension}\u0000${(breakdown as Record<string, string>)[dimension]}`;
  return name;
}
