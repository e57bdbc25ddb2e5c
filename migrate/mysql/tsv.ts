/**
 * LOAD DATA's default text format: fields split by TAB, lines by LF, `\` escapes, `\N` is NULL.
 * Works on raw bytes so binary and any character set pass through unchanged.
 */
const BACKSLASH = 0x5c;
const ESCAPES = new Map<number, number>([
  [0x5c, 0x5c], // \ -> \\
  [0x09, 0x74], // TAB -> \t
  [0x0a, 0x6e], // LF -> \n
  [0x0d, 0x72], // CR -> \r
  [0x00, 0x30], // NUL -> \0
]);

export const TSV_NULL = Buffer.from('\\N');

function needsEscape(value: Buffer): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const byte = value[i]!;
    if (byte === 0x5c || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x00) return true;
  }
  return false;
}

/** The field as LOAD DATA expects it; returns the same buffer when nothing needs escaping. */
export function escapeTsvBytes(value: Buffer): Buffer {
  if (!needsEscape(value)) return value;
  const out = Buffer.allocUnsafe(value.length * 2);
  let length = 0;
  for (let i = 0; i < value.length; i += 1) {
    const byte = value[i]!;
    const escaped = ESCAPES.get(byte);
    if (escaped === undefined) {
      out[length++] = byte;
    } else {
      out[length++] = BACKSLASH;
      out[length++] = escaped;
    }
  }
  return out.subarray(0, length);
}

/** Text variant for generated data: `null` becomes `\N`. */
export function escapeTsvText(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r\0]/g, (char) => {
    switch (char) {
      case '\\':
        return '\\\\';
      case '\t':
        return '\\t';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      default:
        return '\\0';
    }
  });
}

export function tsvLine(values: readonly (string | number | null)[]): string {
  return `${values.map(escapeTsvText).join('\t')}\n`;
}
