/** LOAD DATA's default text format: fields split by TAB, lines by LF, `\` escapes, `\N` is NULL. */
/** A generated value as a LOAD DATA field: `null` becomes `\N`. */
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
