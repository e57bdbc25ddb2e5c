import { createHash } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { errors } from '../errors.ts';
import type { EventLayout } from './event-catalog.ts';
import { ensureInventoryLoaded } from './inventory.ts';

/** The seat map as sent: its JSON body `{"seats":[...]}` and a weak validator over it. */
export interface SeatMapBody {
  json: Buffer;
  etag: string;
}

/** Each seat's JSON up to its status, per (immutable, cached) layout. */
const seatJsonPrefixes = new WeakMap<EventLayout, string[]>();
/** Renders that have not read Redis yet, per instance (its seat store) and event. */
const waiting = new WeakMap<object, Map<number, Promise<SeatMapBody>>>();

/**
 * The seat map body of an event, the same bytes as serialising `seatMap` (browse-events.ts). During an
 * on-sale spike this is the hottest route: building, serialising and hashing one object per seat (5,000+)
 * per request was most of an instance's CPU time (see docs/onsale.md). So the body is built from cached
 * per-seat fragments, hashed once, and requests for the same event that arrive before a render has read
 * Redis share it: each still gets seat states read after its request arrived.
 */
export function seatMapBody(deps: Deps, eventId: number): Promise<SeatMapBody> {
  let perEvent = waiting.get(deps.seats);
  if (!perEvent) waiting.set(deps.seats, (perEvent = new Map()));
  let render = perEvent.get(eventId);
  if (!render) {
    const queue = perEvent;
    render = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      queue.delete(eventId);
      return renderSeatMap(deps, eventId);
    });
    queue.set(eventId, render);
  }
  return render;
}

async function renderSeatMap(deps: Deps, eventId: number): Promise<SeatMapBody> {
  const layout = await deps.catalog.get(eventId);
  if (!layout) throw errors.notFound('event');
  await ensureInventoryLoaded(deps, eventId);
  const states = await deps.seats.seatStates(eventId);
  let prefixes = seatJsonPrefixes.get(layout);
  if (!prefixes) {
    // `{"id":1,...,"status":""}` without its final `""}`: the status is appended per render.
    prefixes = layout.seats.map((seat) => JSON.stringify({ ...seat, status: '' }).slice(0, -3));
    seatJsonPrefixes.set(layout, prefixes);
  }
  const parts = layout.seats.map((seat, i) => `${prefixes[i]}"${states.get(seat.id)?.kind ?? 'available'}"}`);
  const json = Buffer.from(`{"seats":[${parts.join(',')}]}`);
  return { json, etag: `W/"${createHash('sha1').update(json).digest('base64url')}"` };
}
