import type { Seat } from './types.ts';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export const formatPrice = (cents: number): string => money.format(cents / 100);

export const formatDate = (iso: string): string =>
  new Date(iso).toLocaleString('en-US', { dateStyle: 'full', timeStyle: 'short' });

export const seatName = (seat: Pick<Seat, 'section' | 'row' | 'number'>): string =>
  `${seat.section} row ${seat.row} seat ${seat.number}`;

/** "Floor row B seat 4, Floor row B seat 5 and Front row A seat 1". */
export function listOfSeats(seats: Pick<Seat, 'section' | 'row' | 'number'>[]): string {
  const names = seats.map(seatName);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** "9:05" for the hold countdown. */
export function formatCountdown(msLeft: number): string {
  const seconds = Math.max(0, Math.ceil(msLeft / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** "9 minutes 5 seconds" for screen readers. */
export function spokenDuration(msLeft: number): string {
  const seconds = Math.max(0, Math.ceil(msLeft / 1000));
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`);
  if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? '' : 's'}`);
  return parts.join(' ');
}
