import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Queryable } from './replica/read-router.ts';
import { withTransaction } from './transaction.ts';

export interface EventRow {
  id: number;
  name: string;
  venue: string;
  startsAt: Date;
  onSaleAt: Date;
  posterKey: string | null;
}

export interface SeatRow {
  id: number;
  section: string;
  row: string;
  number: number;
  priceCents: number;
}

const eventColumns =
  'id, name, venue, starts_at AS startsAt, on_sale_at AS onSaleAt, poster_key AS posterKey';

export async function listEventRows(db: Queryable): Promise<EventRow[]> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT ${eventColumns} FROM events ORDER BY starts_at, id`);
  return rows as EventRow[];
}

export async function findEventRow(db: Queryable, id: number): Promise<EventRow | null> {
  const [rows] = await db.execute<RowDataPacket[]>(`SELECT ${eventColumns} FROM events WHERE id = ?`, [id]);
  return (rows[0] as EventRow | undefined) ?? null;
}

export async function listSeatRows(db: Queryable, eventId: number): Promise<SeatRow[]> {
  const [rows] = await db.execute<RowDataPacket[]>(
    `SELECT id, section, row_label AS \`row\`, number, price_cents AS priceCents
       FROM seats WHERE event_id = ? ORDER BY id`,
    [eventId],
  );
  return rows as SeatRow[];
}

export async function setPosterKey(db: Pool, eventId: number, key: string): Promise<void> {
  await db.execute('UPDATE events SET poster_key = ? WHERE id = ?', [key, eventId]);
}

/** Inserts an event and its whole seat map in one transaction; `alsoWrite` adds rows of its own to it (a waiting room). */
export async function insertEventWithSeats(
  db: Pool,
  event: { name: string; venue: string; startsAt: Date; onSaleAt: Date },
  seats: Omit<SeatRow, 'id'>[],
  alsoWrite?: (connection: PoolConnection, eventId: number) => Promise<void>,
): Promise<number> {
  return withTransaction(db, async (connection) => {
    const [result] = await connection.execute<ResultSetHeader>(
      'INSERT INTO events (name, venue, starts_at, on_sale_at) VALUES (?, ?, ?, ?)',
      [event.name, event.venue, event.startsAt, event.onSaleAt],
    );
    const eventId = result.insertId;
    for (let i = 0; i < seats.length; i += 1_000) {
      const batch = seats.slice(i, i + 1_000);
      await connection.query('INSERT INTO seats (event_id, section, row_label, number, price_cents) VALUES ?', [
        batch.map((seat) => [eventId, seat.section, seat.row, seat.number, seat.priceCents]),
      ]);
    }
    await alsoWrite?.(connection, eventId);
    return eventId;
  });
}
