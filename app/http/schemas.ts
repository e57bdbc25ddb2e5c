import { z } from 'zod';

/**
 * Text of 1..max characters that is not blank, trimmed. Characters are counted as code points, as
 * MySQL's VARCHAR and JSON Schema's maxLength count them (zod's max counts UTF-16 units), and the
 * rendered schema says `pattern: \S`, so the document allows exactly what the API accepts.
 */
export const text = (max: number) =>
  z
    .string()
    .refine((value) => /\S/u.test(value), 'must not be blank')
    .refine((value) => [...value].length <= max, `must be at most ${max} characters`)
    .overwrite((value) => value.trim())
    .meta({ minLength: 1, maxLength: max, pattern: '\\S' });

const email = z.email().max(254);

export const registerBody = z.strictObject({
  email,
  password: z.string().min(8).max(256),
  name: text(255),
});

export const loginBody = z.strictObject({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(256),
});

const seatId = z.number().int().min(1).max(4_294_967_295);

/**
 * Seat ids in one hold request: 5,000 ten-digit ids still fit the 64 KB body limit (json-body.ts), so any
 * request the document allows reaches the hold gate, which applies MAX_SEATS_PER_USER.
 */
export const maxSeatIdsPerHold = 5_000;

export const holdBody = z.strictObject({
  seatIds: z
    .array(seatId)
    .min(1)
    .max(maxSeatIdsPerHold)
    .refine((ids) => new Set(ids).size === ids.length, 'seat ids must not repeat')
    .meta({ uniqueItems: true }),
});

const section = z.strictObject({
  name: text(64),
  rows: z.number().int().min(1).max(500),
  seatsPerRow: z.number().int().min(1).max(500),
  priceCents: z.number().int().min(0).max(100_000_000),
});

export const maxSeatsPerEvent = 100_000;

export const createEventBody = z
  .strictObject({
    name: text(255),
    venue: text(255),
    startsAt: z.iso.datetime({ offset: true }),
    onSaleAt: z.iso.datetime({ offset: true }),
    sections: z.array(section).min(1).max(50),
  })
  .refine((event) => new Set(event.sections.map((s) => s.name)).size === event.sections.length, {
    path: ['sections'],
    message: 'section names must be unique',
  })
  .refine((event) => event.sections.reduce((sum, s) => sum + s.rows * s.seatsPerRow, 0) <= maxSeatsPerEvent, {
    path: ['sections'],
    message: `an event has at most ${maxSeatsPerEvent} seats`,
  })
  .refine((event) => Date.parse(event.onSaleAt) <= Date.parse(event.startsAt), {
    path: ['onSaleAt'],
    message: 'sales open before the event starts',
  })
  // What JSON Schema cannot say is said in words, so a client knows every rule before it sends.
  .meta({
    description: `Section names are unique within the event; an event has at most ${maxSeatsPerEvent.toLocaleString('en-US')} seats (rows × seatsPerRow summed); onSaleAt is not after startsAt.`,
  });

/** Idempotency-Key: 1-255 visible ASCII characters. */
export const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/)
  .meta({ description: 'One per purchase attempt (e.g. a UUID), reused on every retry of that attempt.', examples: ['3f1c9a4e-8d2b-4f6a-9c1e-2b7d5e8a0f13'] });
