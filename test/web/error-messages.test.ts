import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorMessages, humanMessage, networkErrorCode } from '../../web/src/error-messages.ts';

const appDirectory = fileURLToPath(new URL('../../app/', import.meta.url));

/** Every error code the API's source can answer with: `new AppError(status, 'code', ...)`. */
async function apiErrorCodes(directory = appDirectory): Promise<Set<string>> {
  const codes = new Set<string>();
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const source = await readFile(join(entry.parentPath, entry.name), 'utf8');
    for (const match of source.matchAll(/new AppError\(\s*\d+,\s*'([a-z_]+)'/g)) codes.add(match[1]!);
  }
  return codes;
}

describe('error messages on the buyer page', () => {
  it('has a human sentence for every error code the API can answer with', async () => {
    const codes = await apiErrorCodes();
    expect(codes.size).toBeGreaterThan(20);
    expect(codes).toContain('seats_unavailable');
    // Koa's own 4xx errors leave the error handler as bad_request.
    codes.add('bad_request');
    for (const code of codes) {
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
