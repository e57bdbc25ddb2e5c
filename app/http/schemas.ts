import { z } from 'zod';

/**
 * A string of `min` to `max` characters counted as Unicode code points, as JSON Schema's minLength and
 * maxLength count them and NIST counts password characters (an emoji is one character, not two).
 */
const characters = (min: number, max: number) =>
  z
    .string()
    .superRefine((value, ctx) => {
      const length = [...value].length;
      if (length < min) ctx.addIssue({ code: 'custom', message: `Too small: expected string to have >=${min} characters` });
      else if (length > max) ctx.addIssue({ code: 'custom', message: `Too big: expected string to have <=${max} characters` });
    })
    .meta({ minLength: min, maxLength: max });

/**
 * Register: the rules the schema cannot express are answered with their own 400 codes (docs/accounts.md):
 * `email_invalid`, `name_invalid`, `password_invalid`, `password_common`.
 */
export const registerBody = z.strictObject({
  email: characters(3, 254).meta({
    format: 'idn-email',
    description: 'Internationalised addresses are accepted; stored trimmed, lower case, NFC. Otherwise `email_invalid`.',
  }),
  password: characters(8, 256).meta({
    description: 'Any printable characters, spaces included; control characters are `password_invalid`, common passwords `password_common`.',
  }),
  name: characters(1, 255).meta({
    description: 'Stored trimmed and NFC. Control or bidirectional-override characters, or nothing visible (only spaces or zero-width characters), are `name_invalid`.',
  }),
});

export const loginBody = z.strictObject({
  email: characters(1, 254),
  password: characters(1, 256),
});

const seatId = z.number().int().positive().max(4_294_967_295);

export const holdBody = z.strictObject({
  seatIds: z
    .array(seatId)
    .min(1)
    .max(10_000)
    .refine((ids) => new Set(ids).size === ids.length, 'seat ids must not repeat'),
});

const section = z.strictObject({
  name: z.string().trim().min(1).max(64),
  rows: z.number().int().min(1).max(500),
  seatsPerRow: z.number().int().min(1).max(500),
  priceCents: z.number().int().min(0).max(100_000_000),
});

export const maxSeatsPerEvent = 100_000;

export const createEventBody = z
  .strictObject({
    name: z.string().trim().min(1).max(255),
    venue: z.string().trim().min(1).max(255),
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
  });

/** Idempotency-Key: 1-255 visible ASCII characters. */
export const idempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/);
