import type { OutputStream } from './output-stream.ts';
import type { ProgressCounters } from './counters.ts';
import { estimateRate } from './rates.ts';
import type { ProgressReporter } from './reporter.ts';

/** Writes one JSON object per line: `progress` every interval, `task` on each state change, `log`. */
export class JsonLinesReporter implements ProgressReporter {
  private timer: NodeJS.Timeout | undefined;
  private counters: ProgressCounters | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly stream: OutputStream,
    private readonly intervalMs = 1000,
    /** Added to every line, e.g. `{ phase: 'copy' }`. */
    private readonly fields: Readonly<Record<string, unknown>> = {},
  ) {}

  start(counters: ProgressCounters): void {
    this.counters = counters;
    this.unsubscribe = counters.onTaskState(({ task }) => {
      if (task.state === 'running') return;
      const seconds = task.startedAt && task.finishedAt ? (task.finishedAt - task.startedAt) / 1000 : undefined;
      this.writeLine({ type: 'task', unit: counters.unit, ...task, seconds });
    });
    this.timer = setInterval(() => this.writeProgress(), this.intervalMs);
    this.timer.unref();
  }

  log(line: string): void {
    this.writeLine({ type: 'log', message: line });
  }

  stop(): void {
    if (!this.counters) return;
    clearInterval(this.timer);
    this.unsubscribe?.();
    this.writeProgress();
    this.counters = undefined;
  }

  private writeProgress(): void {
    if (!this.counters) return;
    const snapshot = this.counters.snapshot();
    const rate = estimateRate(snapshot);
    this.writeLine({
      type: 'progress',
      unit: snapshot.unit,
      ...snapshot.totals,
      elapsedSeconds: rate.elapsedSeconds,
      perSecond: rate.itemsPerSecond,
      bytesPerSecond: rate.bytesPerSecond,
      etaSeconds: rate.etaSeconds,
      running: snapshot.tasks.filter((task) => task.state === 'running').map((task) => task.id),
    });
  }

  private writeLine(value: object): void {
    this.stream.write(`${JSON.stringify({ ...value, ...this.fields })}\n`);
  }
}
