import type { z } from 'zod';
import { errors } from '../errors.ts';

/** Parses input with a strict schema; any problem is a 400 `validation_failed` listing each issue. */
export function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw errors.validationFailed(result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
}

const idPattern = /^[1-9]\d{0,9}$/;

/** A numeric id from a path; anything malformed (`abc`, `-1`, `0`, too large) is simply not found. */
export function parseId(value: string | undefined, what: string): number {
  if (!value || !idPattern.test(value) || Number(value) > 4_294_967_295) throw errors.notFound(what);
  return Number(value);
}

/** A numeric id from a path, or null when it is not one (the route's own parseId then answers 404). */
export function idOrNull(value: string | undefined): number | null {
  return value && idPattern.test(value) && Number(value) <= 4_294_967_295 ? Number(value) : null;
}
