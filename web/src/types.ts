/** Shapes of the API's JSON answers (see GET /api/openapi.json). */
export interface User {
  id: number;
  email: string;
  name: string;
  role?: string;
}

export interface EventSummary {
  id: number;
  name: string;
  venue: string;
  startsAt: string;
  onSaleAt: string;
  posterUrl: string | null;
  seatsTotal: number;
  seatsAvailable: number;
  /** Only on GET /api/events/:eventId. */
  maxSeatsPerUser?: number;
}

export type SeatStatus = 'available' | 'held' | 'sold';

export interface Seat {
  id: number;
  section: string;
  row: string;
  number: number;
  priceCents: number;
  status: SeatStatus;
}

export interface Hold {
  id: string;
  eventId: number;
  seatIds: number[];
  expiresAt: string;
  status?: 'active' | 'purchasing' | 'purchased' | 'released' | 'expired';
}

export interface Order {
  id: number;
  eventId: number;
  totalCents: number;
  tickets: { id: number; seatId: number }[];
}

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}
