import { Readable } from 'node:stream';
import type { RowDataPacket } from 'mysql2/promise';
import type { Deps } from '../deps.ts';
import { hashPassword } from '../domain/passwords.ts';
import { insertUser } from '../infra/mysql/users.ts';
import { createEvent, uploadPoster } from '../services/organize-events.ts';
import { demoPosterPng } from './demo-poster.ts';

export const demoEventName = 'The Famous Artist — World Tour (demo)';
export const demoBuyer = { email: 'buyer@ticketkit.local', password: 'demo-buyer-password', name: 'Demo Buyer' };

/**
 * The demo concert's start: 20:00 on the day `daysAhead` days from `now`, in the server's local time
 * zone. `npm start` runs on the newcomer's own machine, whose browser shows times in that same zone, so
 * the page says 8:00 PM (a plain `now + 30 days` started at whatever minute the seed happened to run).
 */
export function demoStartsAt(now: Date, daysAhead = 30): Date {
  const startsAt = new Date(now);
  startsAt.setDate(startsAt.getDate() + daysAhead);
  startsAt.setHours(20, 0, 0, 0);
  return startsAt;
}

/** A demo event on sale now with 600 seats and a poster in S3, and a demo buyer. Safe to run again. */
export async function seedDemo(deps: Deps): Promise<{ eventId: number }> {
  await insertUser(deps.db, { ...demoBuyer, passwordHash: await hashPassword(demoBuyer.password, deps.config.PASSWORD_HASH_COST) });
  const [existing] = await deps.db.execute<RowDataPacket[]>('SELECT id FROM events WHERE name = ?', [demoEventName]);
  if (existing[0]) return { eventId: Number(existing[0].id) };
  const now = new Date();
  const event = await createEvent(deps, {
    name: demoEventName,
    venue: 'Arena One',
    startsAt: demoStartsAt(now),
    onSaleAt: new Date(now.getTime() - 60_000),
    sections: [
      { name: 'Front', rows: 4, seatsPerRow: 25, priceCents: 25_000 },
      { name: 'Floor', rows: 12, seatsPerRow: 25, priceCents: 12_000 },
      { name: 'Balcony', rows: 8, seatsPerRow: 25, priceCents: 6_500 },
    ],
  });
  await uploadPoster(deps, event.id, Readable.from([demoPosterPng()]));
  return { eventId: event.id };
}
