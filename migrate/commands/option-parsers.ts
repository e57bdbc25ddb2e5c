import { InvalidArgumentError } from 'commander';

/** commander argument parsers: a bad value becomes commander's one-line usage error (exit code 2). */
export function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return number;
}

export function parsePositiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('expected a number > 0');
  return number;
}

export function parseList(value: string, previous: string[] = []): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError('expected a comma-separated list of names');
  return [...previous, ...names];
}
