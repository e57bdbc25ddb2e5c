import { Readable } from 'node:stream';
import type { RowDataPacket } from 'mysql2/promise';
import type { Deps } from '../deps.ts';
import { hashPassword } from '../domain/passwords.ts';
import { insertUser } from '../infra/mysql/users.ts';
import { createEvent, uploadPoster } from '../services/organize-events.ts';
import { demoPosterPng } from './demo-poster.ts';

export const demoEventName = 'The Famous Artist — World Tour (demo)';
export const demoBuyer = { email: 'buyer@ticketkit.local', password: 'demo-buyer-password', name: 'Demo Buyer' };

/** A demo event on sale now with 600 seats and a poster in S3, and a demo buyer. Safe to run again. */
export async function seedDemo(deps: Deps): Promise<{ eventId: number }> {
  await insertUser(deps.db, { ...demoBuyer, passwordHash: await hashPassword(demoBuyer.password, deps.config.PASSWORD_HASH_COST) });
  const [existing] = await deps.db.execute<RowDataPacket[]>('SELECT id FROM events WHERE name = ?', [demoEventName]);
  if (existing[0]) return { eventId: Number(existing[0].id) };
  const now = Date.now();
  const event = await createEvent(deps, {
    name: demoEventName,
    venue: 'Arena One',
    startsAt: new Date(now + 30 * 86_400_000),
    onSaleAt: new Date(now - 60_000),
    sections: [
      { name: 'Front', rows: 4, seatsPerRow: 25, priceCents: 25_000 },
      { name: 'Floor', rows: 12, seatsPerRow: 25, priceCents: 12_000 },
      { name: 'Balcony', rows: 8, seatsPerRow: 25, priceCents: 6_500 },
    ],
  });
  await uploadPoster(deps, event.id, Readable.from([demoPosterPng()]));
  return { eventId: event.id };
}
