import { pino, type Logger } from 'pino';

/**
 * JSON lines on stdout; request lines carry `requestId` (see http/middleware/request-context.ts).
 * Lines are gathered and written asynchronously, 8 KB at a time or every 250 ms, whichever comes
 * first, instead of one blocking write(2) per request line (4-5 % of an instance's CPU in the on-sale
 * profile). pino flushes what is pending when the process exits.
 */
export function createLogger(level: string): Logger {
  return pino(
    { level, base: { service: 'ticketkit-api' }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: 1, sync: false, minLength: 8192, periodicFlush: 250 }),
  );
}
