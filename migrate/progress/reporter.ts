import type { ProgressCounters } from './counters.ts';

/**
 * Renders counters somewhere (a TTY, JSON lines, plain lines). Operations never call a reporter;
 * they update counters, and the command starts and stops the reporter around the operation.
 */
export interface ProgressReporter {
  start(counters: ProgressCounters): void;
  /** Prints a line without breaking the rendering (e.g. a warning). */
  log(line: string): void;
  /** Final render; stops timers. Safe to call twice. */
  stop(): void;
}
