import { pino, type Logger } from 'pino';

/** JSON lines on stdout; request lines carry `requestId` (see http/middleware/request-context.ts). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'ticketkit-api' }, timestamp: pino.stdTimeFunctions.isoTime });
}
