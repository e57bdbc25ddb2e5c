import { z } from 'zod';
import { errorStatus, type ErrorCode } from '../../errors.ts';

const seatIds = z.array(z.number().int().min(1));

/** The `details` each code carries; codes not listed carry none. */
const detailsOf: Partial<Record<ErrorCode, z.ZodType>> = {
  validation_failed: z.strictObject({
    issues: z.array(z.strictObject({ path: z.string().meta({ description: 'Dotted path into the body; empty for the body as a whole.' }), message: z.string() })).min(1),
  }),
  unknown_seats: z.strictObject({ seatIds }),
  seats_unavailable: z.strictObject({ seatIds: seatIds.meta({ description: 'The requested seats that are held or sold.' }) }),
  seat_limit_exceeded: z.strictObject({ limit: z.number().int(), alreadyHeldOrBought: z.number().int() }),
  not_on_sale: z.strictObject({ onSaleAt: z.iso.datetime() }),
  payload_too_large: z.strictObject({ limitBytes: z.number().int() }),
  queue_required: z.strictObject({ queueUrl: z.string().meta({ description: 'Where to join the queue (POST) and poll it (GET).', examples: ['/api/events/7/queue'] }) }),
  rate_limited: z.strictObject({ retryAfterSeconds: z.number().int().min(0) }),
  login_throttled: z.strictObject({ retryAfterSeconds: z.number().int().min(1) }),
  name_invalid: z.strictObject({ reason: z.enum(['control_character', 'bidi_control', 'invisible', 'too_long']) }),
  email_invalid: z.strictObject({ reason: z.enum(['format', 'control_character', 'too_long']) }),
  password_invalid: z.strictObject({ reason: z.enum(['control_character']) }),
  // Present when the instance itself is saturated (every password hash slot busy).
  service_unavailable: z.strictObject({ retryAfterSeconds: z.number().int().min(1) }).optional(),
};

const bodies = new Map<ErrorCode, z.ZodType>();

/**
 * `{"error":{"code":"<code>","message","details"?}}` for one code: a reusable component named after the
 * code, made once (a component id must stand for one schema).
 */
function errorBodyOf(code: ErrorCode): z.ZodType {
  const made = bodies.get(code);
  if (made) return made;
  const details = detailsOf[code];
  const error = z.strictObject({
    code: z.literal(code),
    message: z.string().meta({ description: 'For people; may change. Programs read `code`.' }),
    ...(details ? { details } : {}),
  });
  const name = code.replace(/(^|_)([a-z])/g, (_, _sep: string, letter: string) => letter.toUpperCase());
  const body = z.strictObject({ error }).meta({ id: `${name}Error` });
  bodies.set(code, body);
  return body;
}

/** The error body of a response that can carry any of `codes` (all of one status). */
export function errorBody(codes: readonly ErrorCode[]): z.ZodType {
  const [first, ...rest] = codes.map(errorBodyOf);
  return rest.length === 0 ? first! : z.union([first!, ...rest]);
}

/** Codes grouped by their HTTP status, in status order. */
export function byStatus(codes: Iterable<ErrorCode>): Map<number, ErrorCode[]> {
  const groups = new Map<number, ErrorCode[]>();
  for (const code of [...new Set(codes)].sort((a, b) => errorStatus[a] - errorStatus[b])) {
    const status = errorStatus[code];
    groups.set(status, [...(groups.get(status) ?? []), code]);
  }
  return groups;
}
