import Keygrip from 'keygrip';
import { describe, expect, it } from 'vitest';
import { cookieSigner } from '../../app/http/cookie-signer.ts';
import { AppError, errors } from '../../app/errors.ts';
import { eventOfHoldId, newHoldId } from '../../app/domain/hold-id.ts';

describe('hot-path replacements keep their contracts', () => {
  it('signs session cookies byte for byte like Keygrip, so sessions signed before the change stay valid', () => {
    const keys = ['new-key-0123456789abcdef', 'old-key-0123456789abcdef'];
    const ours = cookieSigner(keys);
    const keygrip = new Keygrip(keys);
    for (const data of ['tk.sid=abc', 'tk.sid=' + 'x'.repeat(300), 'tk.sid=ünï/+=']) {
      expect(ours.sign(data)).toBe(keygrip.sign(data));
      expect(ours.index(data, keygrip.sign(data))).toBe(0);
    }
    // Rotation: a cookie signed with the old key still verifies (index 1); a forged or truncated one does not.
    const signedWithOldKey = new Keygrip([keys[1]!]).sign('tk.sid=abc');
    expect(ours.index('tk.sid=abc', signedWithOldKey)).toBe(1);
    expect(ours.verify('tk.sid=abc', signedWithOldKey.slice(0, -1))).toBe(false);
    expect(ours.verify('tk.sid=abd', ours.sign('tk.sid=abc'))).toBe(false);
    expect(ours.verify('tk.sid=abc', '')).toBe(false);
    expect(() => cookieSigner([])).toThrow(/key/);
  });

  it('gives 4xx answers no stack and keeps the stack of 5xx faults', () => {
    const conflict = errors.seatsUnavailable([1, 2]);
    expect(conflict).toBeInstanceOf(AppError);
    expect(conflict).toMatchObject({ status: 409, code: 'seats_unavailable', details: { seatIds: [1, 2] }, message: 'Some seats are already held or sold.' });
    expect(conflict.stack).not.toMatch(/\n\s+at /);
    expect(errors.internal().stack).toMatch(/\n\s+at /);
    expect(new Error('after').stack).toMatch(/\n\s+at /); // the limit is restored
  });

  it('issues distinct hold ids that carry their event', () => {
    const ids = Array.from({ length: 1000 }, () => newHoldId(42));
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(eventOfHoldId(id)).toBe(42);
  });
});
