import type { Deps } from '../deps.ts';
import { errors } from '../errors.ts';
import { findEventRow, listEventRows, type EventRow } from '../infra/mysql/events.ts';
import { posterBaseUrl, posterUrl } from '../infra/s3/poster-store.ts';
import { ensureInventoryLoaded } from './inventory.ts';

export interface EventView {
  id: number;
  name: string;
  venue: string;
  startsAt: string;
  onSaleAt: string;
  posterUrl: string | null;
  seatsTotal: number;
  seatsAvailable: number;
}

export type SeatStatus = 'available' | 'held' | 'sold';

export interface SeatView {
  id: number;
  section: string;
  row: string;
  number: number;
  priceCents: number;
  status: SeatStatus;
}

/**
 * The catalogue tolerates lag, so it is read from the read replica when there is one; `after` is the
 * primary position of the reader's own last write (read-your-writes, see infra/mysql/replica/read-router.ts).
 */
export async function listEvents(deps: Deps, after?: string): Promise<EventView[]> {
  const rows = await deps.reads.read((db) => listEventRows(db), after);
  return Promise.all(rows.map((row) => present(deps, row)));
}

export async function getEvent(deps: Deps, eventId: number, after?: string): Promise<EventView> {
  // An event too new for the replica is asked of the primary before it is "not found".
  const row = (await deps.reads.read((db) => findEventRow(db, eventId), after)) ?? (await findEventRow(deps.db, eventId));
  if (!row) throw errors.notFound('event');
  return present(deps, row);
}

/** An event as its writer sees it right after writing it: from the primary. */
export async function getWrittenEvent(deps: Deps, eventId: number): Promise<EventView> {
  const row = await findEventRow(deps.db, eventId);
  if (!row) throw errors.notFound('event');
  return present(deps, row);
}

/** Every seat of an event with its status now; a hold that expired a moment ago already shows available. */
export async function seatMap(deps: Deps, eventId: number): Promise<SeatView[]> {
  const layout = await deps.catalog.get(eventId);
  if (!layout) throw errors.notFound('event');
  await ensureInventoryLoaded(deps, eventId);
  const states = await deps.seats.seatStates(eventId);
  return layout.seats.map((seat) => ({ ...seat, status: states.get(seat.id)?.kind ?? 'available' }));
}

async function present(deps: Deps, row: EventRow): Promise<EventView> {
  const layout = await deps.catalog.get(row.id);
  await ensureInventoryLoaded(deps, row.id);
  const unavailable = (await deps.seats.seatStates(row.id)).size;
  const seatsTotal = layout?.seats.length ?? 0;
  const { S3_BUCKET: bucket, AWS_REGION: region, S3_ENDPOINT: endpoint, POSTER_BASE_URL: base } = deps.config;
  return {
    id: row.id,
    name: row.name,
    venue: row.venue,
    startsAt: row.startsAt.toISOString(),
    onSaleAt: row.onSaleAt.toISOString(),
    posterUrl: posterUrl(posterBaseUrl({ bucket, region, endpoint, posterBaseUrl: base }), row.posterKey),
    seatsTotal,
    seatsAvailable: Math.max(0, seatsTotal - unavailable),
  };
}
