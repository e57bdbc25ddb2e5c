import { describe, expect, it } from 'vitest';
import { errorStatus } from '../../app/errors.ts';
import { errorMessages, humanMessage, networkErrorCode } from '../../web/src/error-messages.ts';

describe('error messages on the buyer page', () => {
  it('has a human sentence for every error code the API can answer with', () => {
    // app/errors.ts is the closed set: an AppError cannot carry a code outside it (a type error).
    for (const code of Object.keys(errorStatus)) {
      expect(errorMessages[code], `no message for ${code}`).toBeDefined();
      const text = humanMessage({ code, message: 'raw API text' });
      expect(text).not.toContain(code);
      expect(text).not.toContain('raw API text');
      expect(text).toMatch(/^[A-Z].*[.!]$/);
    }
    expect(humanMessage({ code: networkErrorCode, message: '' })).toContain('Cannot reach the ticket service');
    expect(humanMessage({ code: 'brand_new_code', message: 'x' })).toBe('Something unexpected happened. Please try again.');
  });

  it('names the seats that were just taken, the seat limit, and how long to wait', () => {
    const seatNames = (ids: number[]) => ids.map((id) => `Floor row A seat ${id}`).join(' and ');
    expect(humanMessage({ code: 'seats_unavailable', message: '', details: { seatIds: [4] } }, { seatNames })).toBe(
      'Floor row A seat 4 was just taken by someone else. The seat map is updated: please pick other seats.',
    );
    expect(humanMessage({ code: 'seats_unavailable', message: '', details: { seatIds: [4, 5] } }, { seatNames })).toContain(
      'Floor row A seat 4 and Floor row A seat 5 were just taken',
    );
    expect(humanMessage({ code: 'seat_limit_exceeded', message: '', details: { limit: 8, alreadyHeldOrBought: 6 } })).toContain('at most 8 seats');
    expect(humanMessage({ code: 'rate_limited', message: '', details: { retryAfterSeconds: 7 } })).toContain('try again in 7 seconds');
    expect(humanMessage({ code: 'service_unavailable', message: '' }, { retryAfterSeconds: 1 })).toContain('try again in 1 second.');
    expect(humanMessage({
      code: 'validation_failed',
      message: '',
      details: { issues: [{ path: ['password'], message: 'Too small: expected string to have >=8 characters' }] },
    })).toContain('password: Too small');
  });
});
