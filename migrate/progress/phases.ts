import type { OutputStream } from './output-stream.ts';
import { ProgressCounters, type ProgressUnit } from './counters.ts';
import { createReporter } from './create-reporter.ts';
import type { ProgressReporter } from './reporter.ts';

/** What an operation with several phases reports through: fresh counters per phase, and log lines. */
export interface PhaseProgress {
  /** Ends the previous phase's rendering and returns the counters the new phase updates. */
  start(phase: string): ProgressCounters;
  /** A line for the person watching (a retry, a warning), without breaking the rendering. */
  log(line: string): void;
  end(): void;
}

/** Runs one reporter per phase of an operation (e.g. copy, then verify), each with fresh counters. */
export class ProgressPhases implements PhaseProgress {
  private reporter: ProgressReporter | undefined;

  constructor(
    private readonly options: { json: boolean; stdout: OutputStream; stderr: OutputStream; unit: ProgressUnit },
  ) {}

  start(phase: string): ProgressCounters {
    this.end();
    const counters = new ProgressCounters(this.options.unit);
    // Bars and plain lines go to stderr so stdout carries only the report; JSON lines go to stdout.
    this.reporter = createReporter({
      json: this.options.json,
      stream: this.options.json ? this.options.stdout : this.options.stderr,
      fields: { phase },
    });
    if (!this.options.json && !this.options.stderr.isTTY) this.options.stderr.write(`${phase}...\n`);
    this.reporter.start(counters);
    return counters;
  }

  log(line: string): void {
    if (this.reporter) this.reporter.log(line);
    else this.options.stderr.write(`${line}\n`);
  }

  end(): void {
    this.reporter?.stop();
    this.reporter = undefined;
  }
}
