import type { OutputStream } from './output-stream.ts';
import type { ProgressCounters } from './counters.ts';
import { formatBytes, formatCount, formatSeconds } from './rates.ts';
import type { ProgressReporter } from './reporter.ts';

/** For logs and pipes without --json: one line per finished task, no redrawing. */
export class LineReporter implements ProgressReporter {
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly stream: OutputStream) {}

  start(counters: ProgressCounters): void {
    this.unsubscribe = counters.onTaskState(({ task }) => {
      if (task.state === 'running' || task.state === 'pending') return;
      const seconds = task.startedAt && task.finishedAt ? (task.finishedAt - task.startedAt) / 1000 : 0;
      const detail = task.error ? `: ${task.error}` : '';
      this.log(
        `${task.state} ${task.id}: ${formatCount(task.done)} ${counters.unit}${task.bytes > 0 ? `, ${formatBytes(task.bytes)}` : ''} in ${formatSeconds(seconds)}${detail}`,
      );
    });
  }

  log(line: string): void {
    this.stream.write(`${line}\n`);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
