import { h } from '../dom.ts';
import { formatPrice, seatName } from '../format.ts';
import type { Seat, SeatStatus } from '../types.ts';

/** What a seat looks like to this buyer: `mine` = in their current hold, tracked by the page. */
export type SeatLook = SeatStatus | 'mine' | 'selected';

const spoken: Record<SeatLook, string> = {
  available: 'available',
  selected: 'selected',
  mine: 'held for you',
  held: 'held by another buyer',
  sold: 'sold',
};

/**
 * The seat map: one button per seat, grouped by section and row, drawn once. A refresh only changes
 * attributes of the existing buttons (every seat keeps its fixed-size box), so it never shifts the layout.
 * Keyboard: one tab stop; arrow keys move between seats and rows, Home/End to a row's ends, Space/Enter picks.
 */
export class SeatMap {
  readonly element: HTMLElement;
  private readonly buttons = new Map<number, HTMLButtonElement>();
  private readonly seats = new Map<number, Seat>();
  private readonly rows: HTMLButtonElement[][] = [];
  private focusable: HTMLButtonElement | undefined;

  constructor(seats: Seat[], private readonly onPick: (seat: Seat) => void) {
    const sections = new Map<string, Map<string, Seat[]>>();
    for (const seat of seats) {
      this.seats.set(seat.id, seat);
      const rows = sections.get(seat.section) ?? new Map<string, Seat[]>();
      sections.set(seat.section, rows);
      rows.set(seat.row, [...(rows.get(seat.row) ?? []), seat]);
    }
    let sectionIndex = 0;
    const sectionElements = [...sections].map(([name, rows]) => {
      const headingId = `section-${++sectionIndex}`;
      const prices = new Set([...rows.values()].flat().map((seat) => seat.priceCents));
      const priceText = prices.size === 1 ? ` — ${formatPrice([...prices][0]!)}` : '';
      return h('section', { class: 'seat-section', 'aria-labelledby': headingId },
        h('h3', { id: headingId }, `${name}${priceText}`),
        ...[...rows].map(([row, rowSeats]) => this.drawRow(name, row, rowSeats)),
      );
    });
    this.element = h('div', { class: 'seat-map-scroll' },
      h('div', {
        class: 'seat-map',
        role: 'group',
        'aria-labelledby': 'seat-map-title',
        'aria-describedby': 'seat-map-help',
        onkeydown: (event: Event) => this.onKey(event as KeyboardEvent),
      }, h('div', { class: 'stage', 'aria-hidden': 'true' }, 'Stage'), ...sectionElements),
    );
    this.focusable = this.rows[0]?.[0];
    this.focusable?.setAttribute('tabindex', '0');
  }

  private drawRow(section: string, row: string, seats: Seat[]): HTMLElement {
    const buttons = seats.map((seat) => {
      const button = h('button', {
        type: 'button',
        class: 'seat',
        tabindex: '-1',
        'data-seat-id': seat.id,
        'data-look': 'available',
        'aria-pressed': 'false',
        'aria-label': `Seat ${seat.number}, ${formatPrice(seat.priceCents)}, available`,
        title: seatName(seat),
        onclick: () => {
          this.setTabStop(seat.id);
          this.onPick(seat);
        },
      });
      this.buttons.set(seat.id, button);
      return button;
    });
    this.rows.push(buttons);
    return h('div', { class: 'seat-row', role: 'group', 'aria-label': `${section} row ${row}` },
      h('span', { class: 'row-label', 'aria-hidden': 'true' }, row),
      h('div', { class: 'row-seats' }, ...buttons),
      h('span', { class: 'row-label', 'aria-hidden': 'true' }, row),
    );
  }

  seat(seatId: number): Seat | undefined {
    return this.seats.get(seatId);
  }

  /** Changes what has changed; only attributes, never the boxes. */
  update(lookOf: (seat: Seat) => SeatLook): void {
    for (const [id, seat] of this.seats) {
      const look = lookOf(seat);
      const button = this.buttons.get(id)!;
      if (button.dataset.look === look) continue;
      button.dataset.look = look;
      button.setAttribute('aria-pressed', String(look === 'selected'));
      button.setAttribute('aria-label', `Seat ${seat.number}, ${formatPrice(seat.priceCents)}, ${spoken[look]}`);
      if (look === 'held' || look === 'sold' || look === 'mine') button.setAttribute('aria-disabled', 'true');
      else button.removeAttribute('aria-disabled');
    }
  }

  setStatus(seatId: number, status: SeatStatus): void {
    const seat = this.seats.get(seatId);
    if (seat) seat.status = status;
  }

  /** Takes the statuses of a fresh map (same seats, same order). */
  applyStatuses(seats: Seat[]): void {
    for (const fresh of seats) this.setStatus(fresh.id, fresh.status);
  }

  get allSeats(): Seat[] {
    return [...this.seats.values()];
  }

  private onKey(event: KeyboardEvent): void {
    const current = (event.target as HTMLElement).closest('button.seat') as HTMLButtonElement | null;
    if (!current) return;
    const rowIndex = this.rows.findIndex((row) => row.includes(current));
    const row = this.rows[rowIndex]!;
    const index = row.indexOf(current);
    let next: HTMLButtonElement | undefined;
    switch (event.key) {
      case 'ArrowRight': next = row[index + 1]; break;
      case 'ArrowLeft': next = row[index - 1]; break;
      case 'ArrowDown': next = this.nearest(this.rows[rowIndex + 1], index, row.length); break;
      case 'ArrowUp': next = this.nearest(this.rows[rowIndex - 1], index, row.length); break;
      case 'Home': next = row[0]; break;
      case 'End': next = row.at(-1); break;
      default: return;
    }
    event.preventDefault();
    if (next) this.moveFocus(next);
  }

  /** The seat of another row below or above, at the same relative position when rows differ in length. */
  private nearest(row: HTMLButtonElement[] | undefined, index: number, length: number): HTMLButtonElement | undefined {
    if (!row) return undefined;
    return row[Math.min(row.length - 1, Math.round((index * (row.length - 1)) / Math.max(1, length - 1)))];
  }

  private moveFocus(next: HTMLButtonElement): void {
    this.focusable?.setAttribute('tabindex', '-1');
    next.setAttribute('tabindex', '0');
    this.focusable = next;
    next.focus();
  }

  /** Puts the tab stop on a seat (e.g. the first free one) without moving focus there. */
  setTabStop(seatId: number): void {
    const button = this.buttons.get(seatId);
    if (!button || button === this.focusable) return;
    this.focusable?.setAttribute('tabindex', '-1');
    button.setAttribute('tabindex', '0');
    this.focusable = button;
  }

  focusSeat(seatId: number): void {
    const button = this.buttons.get(seatId);
    if (button) this.moveFocus(button);
  }
}
