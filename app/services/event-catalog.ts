import { findEventRow, listSeatRows, type SeatRow } from '../infra/mysql/events.ts';
import type { Queryable, ReadRouter } from '../infra/mysql/replica/read-router.ts';

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
 * For the same reason a layout may come from the read replica: only an event too new for the replica
 * can be missing there, and a miss asks the primary before it counts as "no such event".
 */
export class EventCatalog {
  private readonly layouts = new Map<number, Promise<EventLayout | null>>();

  constructor(private readonly reads: Pick<ReadRouter, 'read' | 'primary'>) {}

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
    const layout = await this.reads.read((db) => loadLayout(db, eventId));
    return layout ?? loadLayout(this.reads.primary, eventId);
  }
}

async function loadLayout(db: Queryable, eventId: number): Promise<EventLayout | null> {
  const event = await findEventRow(db, eventId);
  if (!event) return null;
  const seats = await listSeatRows(db, eventId);
  return { id: eventId, onSaleAt: event.onSaleAt, seats, seatById: new Map(seats.map((seat) => [seat.id, seat])) };
}
