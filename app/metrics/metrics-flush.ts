import type { Logger } from 'pino';
import type { BusinessMetrics } from './business-metrics.ts';

export interface MetricsFlush {
  /** Writes what is counted now (at shutdown: nothing counted is lost) and stops the timer. */
  stop(): void;
}

/** Writes the counted business metrics to the log as EMF records every `everyMs`, at info level. */
export function startMetricsFlush(metrics: BusinessMetrics, logger: Logger, everyMs: number): MetricsFlush {
  const flush = () => {
    for (const record of metrics.drain()) logger.info(record, 'metrics');
  };
  const timer = setInterval(flush, everyMs);
  // The flush never keeps a process alive that has nothing else to do.
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      flush();
    },
  };
}
