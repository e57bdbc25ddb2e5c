/** Latencies and answers of one endpoint in one phase. Plain counters; rendering is in report.ts. */
export class EndpointStats {
  readonly latenciesMs: number[] = [];
  /** Answers by status and error code, e.g. `201`, `409 seats_unavailable`, `0 ECONNRESET`. */
  readonly answers = new Map<string, number>();
  /** When the first and last 2xx answer arrived (ms since the epoch). */
  firstSuccessAt = 0;
  lastSuccessAt = 0;
  successes = 0;

  record(ms: number, status: number, code?: string): void {
    this.latenciesMs.push(ms);
    const key = code ? `${status} ${code}` : String(status);
    this.answers.set(key, (this.answers.get(key) ?? 0) + 1);
    if (status >= 200 && status < 300) {
      const now = Date.now();
      if (!this.firstSuccessAt) this.firstSuccessAt = now;
      this.lastSuccessAt = now;
      this.successes++;
    }
  }

  get count(): number {
    return this.latenciesMs.length;
  }

  /** Answers that are errors (4xx, 5xx, transport failures), by code. */
  errors(): [string, number][] {
    return [...this.answers].filter(([key]) => !/^2\d\d$/.test(key)).sort((a, b) => b[1] - a[1]);
  }

  percentiles(): { p50: number; p95: number; p99: number } {
    const sorted = Float64Array.from(this.latenciesMs).sort();
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN);
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
  }
}

/** Every endpoint of one phase, and how long the phase ran. */
export class PhaseStats {
  readonly endpoints = new Map<string, EndpointStats>();
  startedAt = Date.now();
  endedAt = 0;

  endpoint(name: string): EndpointStats {
    let stats = this.endpoints.get(name);
    if (!stats) this.endpoints.set(name, (stats = new EndpointStats()));
    return stats;
  }

  get seconds(): number {
    return ((this.endedAt || Date.now()) - this.startedAt) / 1000;
  }

  /** Answers per second of one endpoint over the whole phase. */
  rate(name: string): number {
    return (this.endpoints.get(name)?.count ?? 0) / this.seconds;
  }

  /** 2xx answers per second of one endpoint, from the phase start to its last success (e.g. sell-out). */
  successRateUntilLast(name: string): number {
    const stats = this.endpoints.get(name);
    if (!stats?.successes) return 0;
    return stats.successes / ((stats.lastSuccessAt - this.startedAt) / 1000);
  }
}
