import type { OutputStream } from './output-stream.ts';
import { JsonLinesReporter } from './json-reporter.ts';
import { LineReporter } from './line-reporter.ts';
import type { ProgressReporter } from './reporter.ts';
import { TtyBarReporter } from './tty-reporter.ts';

export interface ReporterChoice {
  /** --json: machine-readable lines on stdout. */
  readonly json: boolean;
  /** Where bars or lines go (bars only when it is a TTY). */
  readonly stream: OutputStream;
  readonly intervalMs?: number;
  /** Extra fields for every JSON line (e.g. the phase). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** JSON lines with --json, bars on a terminal, plain lines otherwise. */
export function createReporter(choice: ReporterChoice): ProgressReporter {
  if (choice.json) return new JsonLinesReporter(choice.stream, choice.intervalMs, choice.fields);
  if (choice.stream.isTTY) return new TtyBarReporter(choice.stream, choice.intervalMs);
  return new LineReporter(choice.stream);
}
