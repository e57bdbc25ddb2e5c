import type { Pool } from 'mysql2/promise';
import { findEventRow, listSeatRows, type SeatRow } from '../infra/mysql/events.ts';

export interface EventLayout {
  id: number;
  onSaleAt: Date;
  seats: SeatRow[];
  seatById: Map<number, SeatRow>;
}

const maxCachedEvents = 200;

/**
 * Seat maps never change once an event exists, so each instance keeps them in memory:
 * the hot path (hold, purchase, seat map) validates seats and prices without a MySQL round trip.
 */
export class EventCatalog {
  private readonly layouts = new Map<number, Promise<EventLayout | null>>();

  constructor(private readonly db: Pool) {}

  get(eventId: number): Promise<EventLayout | null> {
    let layout = this.layouts.get(eventId);
    if (!layout) {
      layout = this.load(eventId);
      this.layouts.set(eventId, layout);
      // Unknown events and failed loads are not cached.
      layout.then((value) => value ?? this.layouts.delete(eventId), () => this.layouts.delete(eventId));
      if (this.layouts.size > maxCachedEvents) this.layouts.delete(this.layouts.keys().next().value!);
    }
    return layout;
  }

  private async load(eventId: number): Promise<EventLayout | null> {
    const event = await findEventRow(this.db, eventId);
    if (!event) return null;
    const seats = await listSeatRows(this.db, eventId);
    return { id: eventId, onSaleAt: event.onSaleAt, seats, seatById: new Map(seats.map((seat) => [seat.id, seat])) };
  }
}
