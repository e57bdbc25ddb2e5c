import { z } from 'zod';

const email = z.email().max(254);

export const registerBody = z.strictObject({
  email,
  password: z.string().min(8).max(256),
  name: z.string().trim().min(1).max(255),
});

export const loginBody = z.strictObject({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(256),
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
