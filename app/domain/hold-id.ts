import { randomFillSync } from 'node:crypto';

/** Hold ids carry their event (`<eventId>-<22 random chars>`) so a hold is found by id alone. */
const holdIdPattern = /^([1-9]\d{0,9})-([A-Za-z0-9_-]{22})$/;

const ID_BYTES = 16;
// Random bytes drawn 256 ids at a time: one randomBytes(16) per hold cost 2.7 % of an instance's CPU
// in the on-sale profile (Node batches randomUUID the same way).
const entropy = Buffer.alloc(ID_BYTES * 256);
let nextByte = entropy.length;

export function newHoldId(eventId: number): string {
  if (nextByte === entropy.length) {
    randomFillSync(entropy);
    nextByte = 0;
  }
  const random = entropy.toString('base64url', nextByte, nextByte + ID_BYTES);
  nextByte += ID_BYTES;
  return `${eventId}-${random}`;
}

/** The event of a hold id, or null when the id is not one this API issues. */
export function eventOfHoldId(holdId: string): number | null {
  const match = holdIdPattern.exec(holdId);
  return match ? Number(match[1]) : null;
}
