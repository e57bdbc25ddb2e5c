export interface SectionSpec {
  name: string;
  rows: number;
  seatsPerRow: number;
  priceCents: number;
}

/** Row labels as venues print them: A..Z, then AA, AB, ... */
export function rowLabel(index: number): string {
  let label = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    label = String.fromCharCode(65 + ((n - 1) % 26)) + label;
  }
  return label;
}

/** Every seat of the sections, row by row. */
export function layOutSeats(sections: SectionSpec[]) {
  return sections.flatMap((section) =>
    Array.from({ length: section.rows * section.seatsPerRow }, (_, i) => ({
      section: section.name,
      row: rowLabel(Math.floor(i / section.seatsPerRow)),
      number: (i % section.seatsPerRow) + 1,
      priceCents: section.priceCents,
    })),
  );
}
