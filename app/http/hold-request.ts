import { holdBody, maxSeatIdsPerHold } from './schemas.ts';
import { parse } from './validate.ts';

const maxSeatId = 4_294_967_295;

/**
 * The seat ids of a hold request. The common, valid body is checked by hand (the hold is the on-sale's hot
 * path, and zod's parse was 2 % of an instance's CPU there); anything else goes through `holdBody`, so a bad
 * body gets exactly the schema's 400. The hand check accepts exactly what the schema accepts: an object with
 * only `seatIds`, 1..5,000 distinct integers in 1..4,294,967,295 (test/app/hold-request.test.ts).
 */
export function holdRequestSeatIds(body: unknown): number[] {
  if (isValidHoldBody(body)) return body.seatIds;
  return parse(holdBody, body).seatIds;
}

function isValidHoldBody(body: unknown): body is { seatIds: number[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  let keys = 0;
  for (const key in body) {
    if (key !== 'seatIds' || !Object.hasOwn(body, key)) return false;
    keys++;
  }
  if (keys !== 1) return false;
  const seatIds = (body as { seatIds: unknown }).seatIds;
  if (!Array.isArray(seatIds) || seatIds.length === 0 || seatIds.length > maxSeatIdsPerHold) return false;
  for (let i = 0; i < seatIds.length; i++) {
    const id: unknown = seatIds[i];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > maxSeatId) return false;
  }
  // Small requests (1-4 seats is the norm) compare pairwise; large ones use a Set.
  if (seatIds.length <= 8) {
    for (let i = 1; i < seatIds.length; i++) for (let j = 0; j < i; j++) if (seatIds[i] === seatIds[j]) return false;
    return true;
  }
  return new Set(seatIds).size === seatIds.length;
}
