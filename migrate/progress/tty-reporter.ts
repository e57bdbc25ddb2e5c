import cliProgress from 'cli-progress';
import type { OutputStream } from './output-stream.ts';
import type { ProgressCounters, TaskProgress } from './counters.ts';
import { estimateRate, formatBytes, formatCount, formatSeconds } from './rates.ts';
import type { ProgressReporter } from './reporter.ts';

const OVERALL = '(all)';

/** Bytes only when the operation counts them (a verification, for instance, does not). */
function bytesText(bytes: number, separator = ''): string {
  return bytes > 0 ? `${separator} ${formatBytes(bytes)}` : '';
}

/** Bars on a terminal: one overall, one per running task (rows/files, bytes, rate, ETA). */
export class TtyBarReporter implements ProgressReporter {
  private multibar: cliProgress.MultiBar | undefined;
  private readonly bars = new Map<string, cliProgress.SingleBar>();
  private counters: ProgressCounters | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly stream: OutputStream,
    private readonly intervalMs = 200,
  ) {}

  start(counters: ProgressCounters): void {
    this.counters = counters;
    this.multibar = new cliProgress.MultiBar(
      {
        stream: this.stream as unknown as NodeJS.WritableStream,
        // `left` rather than `eta`: cli-progress fills its own {eta} and would shadow ours.
        format: ' {name} |{bar}| {percentage}% {count} {unit}{bytes} {rate} eta {left}',
        hideCursor: true,
        clearOnComplete: false,
        autopadding: true,
        noTTYOutput: false,
        barsize: 24,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bars.set(OVERALL, this.multibar.create(1, 0, this.payload(OVERALL)));
    this.unsubscribe = counters.onTaskState(({ task }) => {
      if (task.state === 'running' || task.state === 'pending') return;
      this.removeBar(task.id);
      const seconds = task.startedAt && task.finishedAt ? (task.finishedAt - task.startedAt) / 1000 : 0;
      const mark = task.state === 'failed' ? 'x' : 'v';
      this.log(`${mark} ${task.id}: ${formatCount(task.done)} ${counters.unit}${bytesText(task.bytes, ',')}, ${formatSeconds(seconds)}`);
    });
    this.timer = setInterval(() => this.render(), this.intervalMs);
    this.timer.unref();
  }

  log(line: string): void {
    if (this.multibar) this.multibar.log(`${line}\n`);
    else this.stream.write(`${line}\n`);
  }

  stop(): void {
    if (!this.multibar) return;
    clearInterval(this.timer);
    this.render();
    this.unsubscribe?.();
    // Redraw once more so log lines queued since the last frame are printed before the bars stop.
    this.multibar.update();
    this.multibar.stop();
    this.multibar = undefined;
    this.bars.clear();
  }

  private render(): void {
    if (!this.counters || !this.multibar) return;
    const snapshot = this.counters.snapshot();
    const rate = estimateRate(snapshot);
    const overall = this.bars.get(OVERALL);
    overall?.setTotal(Math.max(snapshot.totals.total, 1));
    overall?.update(snapshot.totals.done, {
      ...this.payload(`${snapshot.totals.tasksDone}/${snapshot.totals.tasks} done`),
      count: formatCount(snapshot.totals.done),
      bytes: bytesText(snapshot.totals.bytes),
      rate: `${formatCount(rate.itemsPerSecond)}/s`,
      left: rate.etaSeconds === undefined ? '?' : formatSeconds(rate.etaSeconds),
    });
    for (const task of snapshot.tasks) if (task.state === 'running') this.renderTask(task, snapshot.now);
  }

  private renderTask(task: TaskProgress, now: number): void {
    let bar = this.bars.get(task.id);
    if (!bar) {
      bar = this.multibar!.create(Math.max(task.total ?? 0, task.done, 1), task.done, this.payload(task.id));
      this.bars.set(task.id, bar);
    }
    const seconds = Math.max((now - (task.startedAt ?? now)) / 1000, 0.001);
    const perSecond = task.done / seconds;
    const left = Math.max((task.total ?? 0) - task.done, 0);
    bar.setTotal(Math.max(task.total ?? 0, task.done, 1));
    bar.update(task.done, {
      ...this.payload(task.id),
      count: formatCount(task.done),
      bytes: bytesText(task.bytes),
      rate: `${formatCount(perSecond)}/s`,
      left: perSecond > 0 ? formatSeconds(left / perSecond) : '?',
    });
  }

  private removeBar(id: string): void {
    const bar = this.bars.get(id);
    if (bar && this.multibar) this.multibar.remove(bar);
    this.bars.delete(id);
  }

  private payload(name: string): Record<string, string> {
    return { name, unit: this.counters?.unit ?? '', count: '0', bytes: '', rate: '', left: '?' };
  }
}
