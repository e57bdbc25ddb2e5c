/**
 * CRC-32 (IEEE, as MySQL's CRC32() and zlib), slice-by-4 in plain JS. For the millions of short
 * lines a copy hashes, this is ~3x cheaper than node:zlib's crc32, whose per-call overhead dominates.
 */
const TABLE = new Int32Array(256 * 4);
for (let n = 0; n < 256; n += 1) {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}
for (let n = 0; n < 256; n += 1) {
  let c = TABLE[n]!;
  for (let slice = 1; slice < 4; slice += 1) {
    c = TABLE[c & 0xff]! ^ (c >>> 8);
    TABLE[slice * 256 + n] = c;
  }
}

export function crc32(bytes: Uint8Array): number {
  let c = -1;
  let i = 0;
  const length = bytes.length;
  const end = length - (length & 3);
  for (; i < end; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c = TABLE[768 + (c & 0xff)]! ^ TABLE[512 + ((c >>> 8) & 0xff)]! ^ TABLE[256 + ((c >>> 16) & 0xff)]! ^ TABLE[c >>> 24]!;
  }
  for (; i < length; i += 1) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
