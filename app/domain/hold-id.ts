import { randomBytes } from 'node:crypto';

/** Hold ids carry their event (`<eventId>-<22 random chars>`) so a hold is found by id alone. */
const holdIdPattern = /^([1-9]\d{0,9})-([A-Za-z0-9_-]{22})$/;

export function newHoldId(eventId: number): string {
  return `${eventId}-${randomBytes(16).toString('base64url')}`;
}

/** The event of a hold id, or null when the id is not one this API issues. */
export function eventOfHoldId(holdId: string): number | null {
  const match = holdIdPattern.exec(holdId);
  return match ? Number(match[1]) : null;
}
