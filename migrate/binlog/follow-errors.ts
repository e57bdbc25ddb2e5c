import { CliError } from '../errors.ts';
import { formatPosition, type BinlogPosition } from './binlog-position.ts';

/** The follower stopped where it must not go on alone (exit code 1): resumable with `--resume --follow`. */
export class FollowStoppedError extends CliError {
  override readonly exitCode: number = 1;
}

export function ddlStop(statement: string, at: BinlogPosition): FollowStoppedError {
  const text = statement.replace(/\s+/g, ' ').slice(0, 300);
  return new FollowStoppedError(
    `DDL in the source binlog at ${formatPosition(at)}: ${text} (apply it to the target, then run again with --resume --follow)`,
  );
}
