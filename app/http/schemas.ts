import { z } from 'zod';
import { namePattern } from '../domain/names.ts';
import { passwordPattern } from '../domain/password-policy.ts';

/**
 * A string of `min` to `max` characters counted as Unicode code points, as JSON Schema's minLength and
 * maxLength, MySQL's VARCHAR and NIST count them (zod's own max counts UTF-16 units: an emoji is two).
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
 * Text of 1..max characters that is not blank, trimmed; the rendered schema says `pattern: \S`, so the
 * document allows exactly what the API accepts.
 */
export const text = (max: number) =>
  characters(1, max)
    .refine((value) => /\S/u.test(value), 'must not be blank')
    .overwrite((value) => value.trim())
    .meta({ minLength: 1, maxLength: max, pattern: '\\S' });

/**
 * Register. The account rules are checked by the service, which answers each with its own 400 code
 * (docs/accounts.md); the schema states the same rules as patterns, so a body it allows passes them,
 * except the list of common passwords (`password_common`), which no schema can carry.
 */
export const registerBody = z.strictObject({
  email: characters(3, 254).meta({
    format: 'idn-email',
    description: 'Internationalised addresses are accepted; stored trimmed, lower case, NFC. Otherwise `email_invalid`.',
  }),
  password: characters(8, 256).meta({
    pattern: passwordPattern,
    description: 'Any printable characters, spaces included; control characters are `password_invalid`, common passwords `password_common`.',
  }),
  name: characters(1, 255).meta({
    pattern: namePattern,
    description:
      'Stored trimmed and NFC. Control or bidirectional characters, or nothing visible (only spaces or zero-width characters), are `name_invalid`.',
  }),
});

export const loginBody = z.strictObject({
  email: characters(1, 254),
  password: characters(1, 256),
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

/** An event's virtual waiting room, as its organizer sets it. */
export const waitingRoomSettings = z
  .strictObject({
    enabled: z.boolean().meta({ description: 'While enabled and open, the seat map, holds and purchases need an admission from the queue.' }),
    opensAt: z.iso.datetime({ offset: true }).meta({
      description: 'The pre-queue opens: everyone who joins before the on-sale (the event’s onSaleAt) gets a uniformly random place at the on-sale; later arrivals join at the back.',
    }),
    admissionRatePerMinute: z.number().int().min(1).max(1_000_000).meta({ description: 'Places reached per minute: what the platform can serve.' }),
    maxActive: z.number().int().min(1).max(1_000_000).meta({ description: 'Admitted buyers at once, at most.' }),
    admissionTtlSeconds: z.number().int().min(5).max(3_600).meta({
      description: 'An admission not used (no seat map, hold or purchase) this long after the place is reached lapses and its capacity returns; so does one idle this long. A hold keeps it until the hold ends.',
    }),
  })
  .meta({ id: 'WaitingRoomSettings' });

export const createEventBody = z
  .strictObject({
    name: text(255),
    venue: text(255),
    startsAt: z.iso.datetime({ offset: true }),
    onSaleAt: z.iso.datetime({ offset: true }),
    sections: z.array(section).min(1).max(50),
    waitingRoom: waitingRoomSettings.optional(),
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
  .refine((event) => !event.waitingRoom || Date.parse(event.waitingRoom.opensAt) <= Date.parse(event.onSaleAt), {
    path: ['waitingRoom', 'opensAt'],
    message: 'the pre-queue opens before the on-sale',
  })
  // What JSON Schema cannot say is said in words, so a client knows every rule before it sends.
  .meta({
    description: `Section names are unique within the event; an event has at most ${maxSeatsPerEvent.toLocaleString('en-US')} seats (rows × seatsPerRow summed); onSaleAt is not after startsAt; a waiting room opens (opensAt) no later than onSaleAt.`,
  });

/** Idempotency-Key: 1-255 visible ASCII characters. */
export const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/)
  .meta({ description: 'One per purchase attempt (e.g. a UUID), reused on every retry of that attempt.', examples: ['3f1c9a4e-8d2b-4f6a-9c1e-2b7d5e8a0f13'] });
