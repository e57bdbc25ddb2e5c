import { randomUUID } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import type { Deps } from '../deps.ts';
import { fileTypeFromBuffer } from 'file-type';
import { layOutSeats, type SectionSpec } from '../domain/seat-layout.ts';
import { errors } from '../errors.ts';
import { findEventRow, insertEventWithSeats, setPosterKey } from '../infra/mysql/events.ts';
import { saveWaitingRoom } from '../infra/mysql/waiting-rooms.ts';
import { toRow, type WaitingRoomSettings } from './configure-waiting-room.ts';
import { getWrittenEvent, type EventView } from './browse-events.ts';

export async function createEvent(
  deps: Deps,
  input: { name: string; venue: string; startsAt: Date; onSaleAt: Date; sections: SectionSpec[]; waitingRoom?: WaitingRoomSettings },
): Promise<EventView> {
  const { waitingRoom } = input;
  const eventId = await insertEventWithSeats(deps.db, input, layOutSeats(input.sections),
    waitingRoom && ((connection, id) => saveWaitingRoom(connection, id, toRow(waitingRoom))));
  if (waitingRoom) await deps.rooms.settings.reload(eventId);
  return getWrittenEvent(deps, eventId);
}

export const posterSizeLimit = 10 * 1024 * 1024;
/** The image formats a poster may have, recognised from the file's first bytes. */
export const posterTypes = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif'] as const;
const acceptedPosterTypes = new Set<string>(posterTypes);
/** Enough leading bytes for file-type to recognise any of those formats. */
const sniffLength = 4_100;

/**
 * Streams a poster into S3 under a new key and points the event at it. The format comes from the
 * file's first bytes; a body over the limit is cut off with 413 without being buffered.
 */
export async function uploadPoster(deps: Deps, eventId: number, body: Readable): Promise<EventView> {
  if (!(await findEventRow(deps.db, eventId))) throw errors.notFound('event');
  const { head, rest } = await readHead(body, sniffLength);
  const image = await fileTypeFromBuffer(head);
  if (!image || !acceptedPosterTypes.has(image.mime)) {
    body.resume();
    throw errors.unsupportedMediaType('a JPEG, PNG, GIF, WebP or AVIF image');
  }
  const key = `posters/${eventId}/${randomUUID()}.${image.ext}`;
  const limited = new PassThrough();
  let size = head.length;
  let tooLarge = false;
  limited.write(head);
  rest.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > posterSizeLimit) {
      tooLarge = true;
      rest.unpipe(limited);
      rest.resume();
      limited.destroy(errors.payloadTooLarge(posterSizeLimit));
    }
  });
  rest.pipe(limited);
  try {
    await deps.posters.upload(key, limited, image.mime);
  } catch (error) {
    if (tooLarge) throw errors.payloadTooLarge(posterSizeLimit);
    throw error;
  }
  await setPosterKey(deps.db, eventId, key);
  return getWrittenEvent(deps, eventId);
}

/** Reads at least `length` bytes (or the whole body if shorter) and returns them with the rest of the stream. */
async function readHead(body: Readable, length: number): Promise<{ head: Buffer; rest: Readable }> {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < length) {
    const chunk = body.read() as Buffer | null;
    if (chunk) {
      chunks.push(chunk);
      total += chunk.length;
      continue;
    }
    if (body.readableEnded) break;
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        body.off('readable', done).off('end', done).off('error', fail);
        resolve();
      };
      const fail = (error: Error) => {
        body.off('readable', done).off('end', done);
        reject(error);
      };
      body.once('readable', done).once('end', done).once('error', fail);
    });
  }
  return { head: Buffer.concat(chunks), rest: body };
}
