// Shapes of the API's JSON answers, taken from the server's own types (type-only: nothing of the
// server is bundled), so a change to the API's answers fails the page's type check instead of drifting.
import type { PublicUser } from '../../app/services/auth.ts';
import type { EventView } from '../../app/services/browse-events.ts';
import type { Hold as HoldAnswer } from '../../app/services/hold-seats.ts';
import type { HoldStatus } from '../../app/services/manage-hold.ts';

export type { SeatStatus, SeatView as Seat } from '../../app/services/browse-events.ts';
export type { Order } from '../../app/infra/mysql/orders.ts';

/** `role` comes with login and GET /api/me; register answers without it. */
export type User = Omit<PublicUser, 'role'> & { role?: PublicUser['role'] };

export interface EventSummary extends EventView {
  /** Only on GET /api/events/:eventId. */
  maxSeatsPerUser?: number;
}

/** POST /api/events/:eventId/holds answers a hold; GET /api/holds/:holdId adds its status. */
export interface Hold extends HoldAnswer {
  status?: HoldStatus;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}
