import { CommanderError } from 'commander';

/** An expected stop: printed as one line, never with a stack trace. */
export class CliError extends Error {
  readonly exitCode: number = 2;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags or arguments (exit code 2). */
export class UsageError extends CliError {}

/** A server that cannot be reached or refuses the credentials (exit code 2). */
export class ConnectionError extends CliError {}

/** Source and target differ after a copy or a verify (exit code 1). */
export class MismatchError extends CliError {
  override readonly exitCode: number = 1;
}

export const EXIT_OK = 0;
export const EXIT_MISMATCH = 1;
export const EXIT_USAGE = 2;
/** A bug rather than an expected stop; the stack is printed only with TICKETKIT_DEBUG=1. */
export const EXIT_INTERNAL = 3;

export interface ExitOutcome {
  readonly exitCode: number;
  /** One line for stderr, or undefined when nothing should be printed. */
  readonly message?: string;
}

/** Network and server errors (mysql2, fs, sockets) that are the user's input, not a bug. */
const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  PROTOCOL_CONNECTION_LOST: 'connection lost',
  ER_ACCESS_DENIED_ERROR: 'access denied',
  ER_DBACCESS_DENIED_ERROR: 'access denied to database',
  ER_BAD_DB_ERROR: 'unknown database',
  ER_TABLEACCESS_DENIED_ERROR: 'access denied to table',
  ER_SPECIFIC_ACCESS_DENIED_ERROR: 'missing privilege',
  ER_NO_SUCH_TABLE: 'no such table',
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
};

function firstLine(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? '';
}

/** The one place that turns any thrown value into an exit code and a single line of text. */
export function toExitOutcome(error: unknown, debug = false): ExitOutcome {
  if (error instanceof CommanderError) {
    // Commander already printed its own message (help, version or "error: unknown option ...").
    return { exitCode: error.exitCode === 0 ? EXIT_OK : EXIT_USAGE };
  }
  if (error instanceof CliError) {
    return { exitCode: error.exitCode, message: `error: ${firstLine(error.message)}` };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in CONNECTION_CODES) {
    const detail = error instanceof Error && error.message ? firstLine(error.message) : code;
    return { exitCode: EXIT_USAGE, message: `error: ${CONNECTION_CODES[code]}: ${detail}` };
  }
  const text = error instanceof Error ? (debug ? (error.stack ?? error.message) : firstLine(error.message)) : String(error);
  const hint = debug ? '' : ' (set TICKETKIT_DEBUG=1 for the stack trace)';
  return { exitCode: EXIT_INTERNAL, message: `internal error: ${text}${hint}` };
}
