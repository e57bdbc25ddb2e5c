import type { OutputStream } from '../commands/command-module.ts';
import { formatPosition } from './binlog-position.ts';
import type { FollowProgress } from './follow-progress.ts';

/** Renders follower progress: compact JSON lines on stdout, one redrawn line on a TTY, a plain line every 10 s otherwise. */
export class FollowReporter {
  private lastPlain = 0;

  constructor(private readonly options: { json: boolean; stdout: OutputStream; stderr: OutputStream }) {}

  progress(progress: FollowProgress): void {
    const { json, stdout, stderr } = this.options;
    if (json) {
      stdout.write(`${JSON.stringify({ type: 'progress', phase: 'follow', ...progress, position: `${progress.position.file}:${progress.position.position}`, gtid: progress.position.gtid })}\n`);
      return;
    }
    const text = `follow: lag ${progress.lagSeconds.toFixed(2)} s, ${progress.eventsBehind} changes behind, ${progress.eventsPerSecond}/s, ${progress.applied.toLocaleString('en-US')} applied, at ${formatPosition(progress.position)}`;
    if (stderr.isTTY) {
      stderr.write(`\r\x1b[2K${text.slice(0, (stderr.columns ?? 120) - 1)}`);
    } else if (Date.now() - this.lastPlain >= 10_000) {
      this.lastPlain = Date.now();
      stderr.write(`${text}\n`);
    }
  }

  error(message: string): void {
    if (this.options.json) this.options.stdout.write(`${JSON.stringify({ type: 'error', phase: 'follow', message })}\n`);
    else this.options.stderr.write(`${this.options.stderr.isTTY ? '\r\x1b[2K' : ''}error: ${message}\n`);
  }

  log(message: string): void {
    if (this.options.json) this.options.stdout.write(`${JSON.stringify({ type: 'log', phase: 'follow', message })}\n`);
    else this.options.stderr.write(`${this.options.stderr.isTTY ? '\r\x1b[2K' : ''}${message}\n`);
  }

  end(): void {
    if (!this.options.json && this.options.stderr.isTTY) this.options.stderr.write('\n');
  }
}
