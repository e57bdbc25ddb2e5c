import { InvalidArgumentError } from 'commander';

/** `10s`, `500ms`, `2m` or a plain number of seconds, as seconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a duration such as 10s, 500ms or 2m');
  const amount = Number(match[1]);
  const seconds = match[2] === 'ms' ? amount / 1000 : match[2] === 'm' ? amount * 60 : amount;
  if (!(seconds > 0)) throw new InvalidArgumentError('expected a duration > 0');
  return seconds;
}
