import { pino, type Logger } from 'pino';
import { cachedIsoTime } from './iso-time.ts';
import { batchedStdout } from './log-destination.ts';

/**
 * JSON lines on stdout; request lines carry `requestId` (see http/middleware/request-context.ts).
 * Lines are gathered and written asynchronously, 8 KB at a time or every 250 ms, whichever comes
 * first, instead of one blocking write(2) per request line (4-5 % of an instance's CPU in the on-sale
 * profile); what is pending is written when the process exits (log-destination.ts). Timestamps are pino's
 * ISO form, with the date and time formatted once per second (iso-time.ts).
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'ticketkit-api' }, timestamp: cachedIsoTime() }, batchedStdout());
}
