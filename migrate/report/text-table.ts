/** Left-aligned text columns (numbers right-aligned), for reports a person reads. */
export function textTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row, index) =>
      row
        .map((cell, column) => {
          const numeric = index > 0 && typeof rows[index - 1]![column] === 'number';
          return numeric ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
