import type { LedgerReport } from '../../test/faults/support/ledger.ts';
import type { CpuSplit } from './cpu-meter.ts';
import type { SelfTime } from './cpu-profile.ts';
import type { PhaseStats } from './stats.ts';

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => '| ' + row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ') + ' |';
  return [line(cells[0]!), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...cells.slice(1).map(line)].join('\n');
}

function errorSummary(phase: PhaseStats, endpoint: string, top = 3): string {
  const errors = phase.endpoints.get(endpoint)?.errors() ?? [];
  return errors.slice(0, top).map(([code, count]) => `${code} ×${count}`).join(', ') || '-';
}

export interface RushRow {
  label: string;
  connections: number;
  phase: PhaseStats;
  endpoint: string;
  seats?: number;
  /** CPU seconds per process group during the phase (cpu-meter.ts). */
  cpu?: CpuSplit;
  /** The Redis the API instances ran on (rush phases of the API only). */
  redis?: string;
}

/** CPU of the API instances per answer of the phase, in µs. */
export function apiCpuPerAnswer(row: RushRow): number {
  const answers = row.phase.endpoints.get(row.endpoint)?.count ?? 0;
  return answers && row.cpu ? ((row.cpu['API instances'] ?? 0) / answers) * 1e6 : NaN;
}

/** One row per phase of the rush: answers/s, successes/s up to the last success (sell-out), latency, errors. */
export function rushTable(rows: RushRow[]): string {
  return table(
    ['phase', 'conns', 'answers/s', 'granted/s to sell-out', 'granted', 'sold out at', 'p50 ms', 'p95 ms', 'p99 ms', 'errors (top codes)'],
    rows.map(({ label, connections, phase, endpoint, seats }) => {
      const stats = phase.endpoints.get(endpoint)!;
      const { p50, p95, p99 } = stats.percentiles();
      const soldOut = seats !== undefined && stats.successes > 0 ? `${fixed((stats.lastSuccessAt - phase.startedAt) / 1000, 2)} s` : '-';
      return [
        label, connections, fixed(phase.rate(endpoint)),
        seats === undefined ? '-' : fixed(phase.successRateUntilLast(endpoint)),
        seats === undefined ? '-' : stats.successes, soldOut,
        fixed(p50, 1), fixed(p95, 1), fixed(p99, 1), errorSummary(phase, endpoint),
      ];
    }),
  );
}

/** Where each phase's CPU went, per process group, and the machine's CPU per answer. */
export function cpuTable(rows: RushRow[]): string {
  const groups = [...new Set(rows.flatMap((row) => Object.keys(row.cpu ?? {})))];
  return table(
    ['phase', 'conns', ...groups, 'all', 'µs per answer', 'API µs per answer'],
    rows.filter((row) => row.cpu).map((row) => {
      const { label, connections, phase, endpoint, cpu } = row;
      const all = Object.values(cpu!).reduce((sum, seconds) => sum + seconds, 0);
      const answers = phase.endpoints.get(endpoint)?.count ?? 0;
      return [
        label, connections, ...groups.map((group) => fixed(cpu![group] ?? 0, 2)), fixed(all, 2), answers ? fixed((all / answers) * 1e6) : '-',
        row.redis ? fixed(apiCpuPerAnswer(row)) : '-',
      ];
    }),
  );
}

/**
 * The API's hold rush per Redis and connection count, side by side: hold answers/s, p99, the API's CPU per hold,
 * the ratio to the MySQL-lock baseline of the same connection count, and each Redis against the first (single).
 */
export function redisTable(rows: RushRow[], connectionCounts: number[]): string {
  const out: (string | number)[][] = [];
  for (const connections of connectionCounts) {
    const lock = rows.find((row) => row.label.startsWith('(b)') && row.connections === connections);
    const gates = rows.filter((row) => row.redis && row.connections === connections);
    const first = gates[0];
    for (const row of gates) {
      const rate = row.phase.rate('hold');
      out.push([
        row.redis!, connections, fixed(rate), fixed(row.phase.endpoints.get('hold')!.percentiles().p99, 1), fixed(apiCpuPerAnswer(row)),
        lock ? `${fixed(rate / lock.phase.rate('hold'), 1)}×` : '-',
        first && row !== first ? `${fixed((rate / first.phase.rate('hold') - 1) * 100)} %` : '-',
      ]);
    }
  }
  return table(['Redis', 'conns', 'hold answers/s', 'p99 ms', 'API CPU µs per hold', '÷ MySQL-lock', 'answers/s vs single'], out);
}

/** Per endpoint of the whole scenario: answers, per second, latency percentiles, error counts by code. */
export function scenarioTable(phase: PhaseStats): string {
  return table(
    ['endpoint', 'answers', 'answers/s', '2xx/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors by code'],
    [...phase.endpoints].map(([name, stats]) => {
      const { p50, p95, p99 } = stats.percentiles();
      return [
        name, stats.count, fixed(stats.count / phase.seconds), fixed(stats.successes / phase.seconds),
        fixed(p50, 1), fixed(p95, 1), fixed(p99, 1), stats.errors().map(([code, count]) => `${code} ×${count}`).join(', ') || '-',
      ];
    }),
  );
}

export function ledgerTable(ledger: LedgerReport, seatsInVenue: number, sales: number): string {
  return table(['from MySQL', 'value', 'must be'], [
    ['seats sold', `${ledger.seatsSold} of ${seatsInVenue}`, '-'],
    ['orders / purchases answered 201', `${ledger.orders} / ${sales}`, 'equal'],
    ['tickets sold twice', ledger.seatsSoldTwice, 0],
    ['purchases answered 201 without their order', ledger.salesWithoutOrder, 0],
    ['orders twice (same hold or key)', ledger.ordersTwice, 0],
  ]);
}

export function profileTable(rows: SelfTime[]): string {
  return table(['self time', 'ms', 'share'], rows.map((row) => [row.name, fixed(row.ms), `${fixed(row.share * 100, 1)} %`]));
}
