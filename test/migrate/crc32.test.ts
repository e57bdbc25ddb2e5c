import { randomBytes } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { expect, test } from 'vitest';
import { crc32 } from '../../migrate/mysql/crc32.ts';

test('equals zlib (and so MySQL CRC32()) for every length and content', () => {
  expect(crc32(Buffer.from('hello'))).toBe(907060870); // SELECT CRC32('hello')
  expect(crc32(Buffer.alloc(0))).toBe(0);
  for (let length = 0; length < 300; length += 1) {
    const bytes = randomBytes(length);
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
  }
});
