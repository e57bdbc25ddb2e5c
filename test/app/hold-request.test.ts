import { describe, expect, it } from 'vitest';
import { AppError } from '../../app/errors.ts';
import { holdRequestSeatIds } from '../../app/http/hold-request.ts';
import { holdBody } from '../../app/http/schemas.ts';
import { parse } from '../../app/http/validate.ts';

/** What the schema alone answers: the seat ids, or the 400's details. */
function bySchema(body: unknown): unknown {
  try {
    return parse(holdBody, body).seatIds;
  } catch (error) {
    return (error as AppError).details;
  }
}

function byHoldRequest(body: unknown): unknown {
  try {
    return holdRequestSeatIds(body);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('validation_failed');
    return (error as AppError).details;
  }
}

const bodies: unknown[] = [
  { seatIds: [1] }, { seatIds: [4_294_967_295, 2, 3] }, { seatIds: Array.from({ length: 5_000 }, (_, i) => i + 1) },
  { seatIds: Array.from({ length: 9 }, (_, i) => 9 - i) },
  { seatIds: [] }, { seatIds: [0] }, { seatIds: [-1] }, { seatIds: [1.5] }, { seatIds: [4_294_967_296] }, { seatIds: ['1'] },
  { seatIds: [null] }, { seatIds: [1, 1] }, { seatIds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 1] }, { seatIds: [2, 1, 2] },
  { seatIds: Array.from({ length: 5_001 }, (_, i) => i + 1) }, { seatIds: '1' }, { seatIds: { 0: 1 } },
  { seatIds: [1], extra: true }, {}, [], [1], null, 'seats', 7, JSON.parse('{"__proto__": {"seatIds": [1]}}'),
  JSON.parse('{"seatIds": [1], "__proto__": null}'), Object.assign(Object.create({ seatIds: [1] }) as object, {}),
];

describe('the hold request body', () => {
  it.each(bodies.map((body, index) => [index, body]))('body %i: answers exactly what the schema answers', (_index, body) => {
    expect(byHoldRequest(body)).toEqual(bySchema(body));
  });
});
