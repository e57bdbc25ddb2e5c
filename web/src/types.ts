// Shapes of the API's JSON answers, taken from the zod schemas the OpenAPI document is rendered from
// (type-only: nothing of the server is bundled), so a change to the API's answers fails the page's
// type check instead of drifting.
import type { z } from 'zod';
import type {
  eventDetailSchema,
  holdSchema,
  holdViewSchema,
  orderSchema,
  queueSchema,
  seatSchema,
  seatStatusSchema,
  userSchema,
} from '../../app/http/response-schemas.ts';

export type User = z.output<typeof userSchema>;
export type Seat = z.output<typeof seatSchema>;
export type SeatStatus = z.output<typeof seatStatusSchema>;
export type Order = z.output<typeof orderSchema>;

export type QueuePlace = z.output<typeof queueSchema>;
type EventDetail = z.output<typeof eventDetailSchema>;

/** An event; `maxSeatsPerUser` and `waitingRoom` come only with GET /api/events/:eventId. */
export type EventSummary = Omit<EventDetail, 'maxSeatsPerUser' | 'waitingRoom'> & Partial<Pick<EventDetail, 'maxSeatsPerUser' | 'waitingRoom'>>;

/** POST /api/events/:eventId/holds answers a hold; GET /api/holds/:holdId adds its status. */
export type Hold = z.output<typeof holdSchema> & Partial<Pick<z.output<typeof holdViewSchema>, 'status'>>;

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}
