import { z } from 'zod';
import type { PublicUser } from '../services/auth.ts';
import type { EventView, SeatView } from '../services/browse-events.ts';
import type { Hold } from '../services/hold-seats.ts';
import type { HoldView } from '../services/manage-hold.ts';
import type { Order } from '../infra/mysql/orders.ts';
import type { QueueView } from '../../shared/waiting-room.ts';
import type { WaitingRoomView } from '../services/configure-waiting-room.ts';

/**
 * What the API answers with, as zod schemas: the OpenAPI document renders them (openapi/document.ts),
 * the test suite validates every answer it receives against that document, and the type checks at the
 * end of this file fail the build when a service's answer type drifts from its schema.
 */
const id = z.number().int().min(1).max(4_294_967_295);
const count = z.number().int().min(0);
const instant = z.iso.datetime().meta({ description: 'UTC, ISO 8601 with milliseconds', examples: ['2026-12-31T19:00:00.000Z'] });

export const holdIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}-[A-Za-z0-9_-]{22}$/)
  .meta({ description: 'Opaque; carries its event id before the dash.', examples: ['7-Yx3k8b2Qn5sVt0LmWc1aZe'] });

export const userSchema = z
  .strictObject({
    id,
    email: z.string(),
    name: z.string(),
    role: z.enum(['buyer', 'organizer']),
  })
  .meta({ id: 'User' });

export const eventSchema = z
  .strictObject({
    id,
    name: z.string(),
    venue: z.string(),
    startsAt: instant,
    onSaleAt: instant,
    posterUrl: z.string().nullable().meta({ description: 'The poster on the CDN (or the local S3 server); null until uploaded.' }),
    seatsTotal: count,
    seatsAvailable: count,
  })
  .meta({ id: 'Event' });

export const eventWaitingRoomSchema = z
  .strictObject({
    opensAt: instant,
    captcha: z
      .strictObject({
        scriptUrl: z.string().meta({ description: 'AWS WAF’s CAPTCHA JavaScript API (`<integration URL>/jsapi.js`).' }),
        apiKey: z.string(),
      })
      .nullable()
      .meta({ description: 'When set, the page solves the CAPTCHA before joining and sends its token as `x-aws-waf-token`.' }),
  })
  .meta({ id: 'EventWaitingRoom', description: 'From opensAt, the seat map, holds and purchases need an admission from the queue.' });

export const eventDetailSchema = eventSchema
  .extend({
    maxSeatsPerUser: z.number().int().min(1).meta({ description: 'Held plus bought seats one buyer may have for this event.' }),
    waitingRoom: eventWaitingRoomSchema.nullable().meta({ description: 'null when the event has no enabled waiting room.' }),
  })
  .meta({ id: 'EventDetail' });

export const queueSchema = z
  .strictObject({
    status: z.enum(['waiting', 'admitted', 'expired', 'closed']).meta({
      description:
        '`waiting`: in the queue; `admitted`: the seat map, holds and purchases are open to you until admissionExpiresAt (each use extends it); ' +
        '`expired`: your turn lapsed unused or idle (join again for a place at the back); `closed`: there is no queue now (before opensAt, or the room is off).',
    }),
    eventId: id,
    position: z.number().int().min(1).nullable().meta({ description: '1 = next. null before the on-sale, while pre-queue places are not drawn yet, and when not waiting.' }),
    estimatedWaitSeconds: count.nullable(),
    pollAfterSeconds: z.number().int().min(1).meta({ description: 'Ask again after this many seconds (also sent as Retry-After).' }),
    opensAt: instant.nullable(),
    onSaleAt: instant.nullable(),
    admissionExpiresAt: instant.nullable(),
  })
  .meta({ id: 'QueuePlace' });

export const waitingRoomViewSchema = waitingRoomSettingsAnswer();

function waitingRoomSettingsAnswer() {
  return z
    .strictObject({
      eventId: id,
      enabled: z.boolean(),
      opensAt: instant,
      onSaleAt: instant,
      admissionRatePerMinute: z.number().int().min(1),
      maxActive: z.number().int().min(1),
      admissionTtlSeconds: z.number().int().min(1),
      now: z.strictObject({
        waiting: count.meta({ description: 'Buyers in the queue whose place is not reached yet.' }),
        admitted: count.meta({ description: 'Admissions live now; never above maxActive.' }),
        joined: count,
        reachedTotal: count,
        expiredTotal: count,
      }),
    })
    .meta({ id: 'WaitingRoom' });
}

export const seatStatusSchema = z.enum(['available', 'held', 'sold']).meta({ id: 'SeatStatus' });

export const seatSchema = z
  .strictObject({
    id,
    section: z.string(),
    row: z.string(),
    number: z.number().int().min(1),
    priceCents: count,
    status: seatStatusSchema,
  })
  .meta({ id: 'Seat' });

export const holdSchema = z
  .strictObject({
    id: holdIdSchema,
    eventId: id,
    seatIds: z.array(id).min(1),
    expiresAt: instant,
  })
  .meta({ id: 'Hold' });

export const holdViewSchema = holdSchema
  .extend({
    status: z.enum(['active', 'purchasing', 'purchased', 'released', 'expired']),
    orderId: id.nullable().meta({ description: 'The order, once purchased.' }),
  })
  .meta({ id: 'HoldWithStatus' });

export const orderSchema = z
  .strictObject({
    id,
    eventId: id,
    totalCents: count,
    tickets: z.array(z.strictObject({ id, seatId: id })).min(1),
  })
  .meta({ id: 'Order' });

export const livenessBody = z.strictObject({ status: z.literal('ok') });
export const readinessBody = z.strictObject({
  status: z.enum(['ready', 'not_ready']),
  checks: z.strictObject({ startup: z.boolean(), mysql: z.boolean(), redis: z.boolean() }),
});
export const userBody = z.strictObject({ user: userSchema });
export const sessionBody = z.strictObject({ user: userSchema.nullable().meta({ description: 'null when nobody is logged in' }) });
export const eventsBody = z.strictObject({ events: z.array(eventSchema) });
export const eventDetailBody = z.strictObject({ event: eventDetailSchema });
export const eventBody = z.strictObject({ event: eventSchema });
export const seatMapBody = z.strictObject({ seats: z.array(seatSchema) });
export const holdBody = z.strictObject({ hold: holdSchema });
export const holdViewBody = z.strictObject({ hold: holdViewSchema });
export const orderBody = z.strictObject({ order: orderSchema });
export const ordersBody = z.strictObject({ orders: z.array(orderSchema).meta({ description: 'Newest first.' }) });
export const posterBody = z.strictObject({ posterUrl: z.string(), event: eventSchema });
export const queueBody = z.strictObject({ queue: queueSchema });
export const waitingRoomBody = z.strictObject({ waitingRoom: waitingRoomViewSchema });

// Compile-time guards: each service's answer type is exactly what its schema describes.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const answersMatchSchemas: [
  Same<z.output<typeof userSchema>, PublicUser>,
  Same<z.output<typeof eventSchema>, EventView>,
  Same<z.output<typeof seatSchema>, SeatView>,
  Same<z.output<typeof holdSchema>, Hold>,
  Same<z.output<typeof holdViewSchema>, HoldView>,
  Same<z.output<typeof orderSchema>, Order>,
  Same<z.output<typeof queueSchema>, QueueView>,
  Same<z.output<typeof waitingRoomViewSchema>, WaitingRoomView>,
] = [true, true, true, true, true, true, true, true];
void answersMatchSchemas;
