import { InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.ts';

export const MIB = 1024 * 1024;

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

// Validators of raw flag values taken after parsing (the poster commands take every flag as text and
// validate in one pass, with their defaults): a bad value is one UsageError line naming the flag.

export function wholeNumberFlag(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} must be a whole number of at least 1, got ${JSON.stringify(value)}`);
  return number;
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1000, kib: 1024, mb: 1e6, mib: MIB, gb: 1e9, gib: 1024 * MIB };

/** `8388608`, `8MiB`, `5MB`, `5.5MiB`. */
export function parseBytes(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new UsageError(`${flag} must be a size like 8MiB or 8388608, got ${JSON.stringify(value)}`);
  return Math.round(Number(match[1]) * unit);
}

export function oneOfFlag<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
}
