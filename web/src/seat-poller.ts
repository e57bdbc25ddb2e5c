import { ApiError, fetchSeatMap } from './api.ts';
import type { Seat } from './types.ts';

export const refreshIntervalMs = 2_000;

/**
 * Refreshes the seat map while the page is open and visible, at most once per `refreshIntervalMs`
 * (measured from the start of one request to the start of the next), sending If-None-Match so an
 * unchanged map is a 304 with no body.
 */
export class SeatPoller {
  private etag: string | null = null;
  private timer: number | undefined;
  private lastStart = 0;
  private running = false;
  private inFlight = false;
  private readonly onVisibility = () => {
    if (document.hidden) this.clearTimer();
    else this.schedule();
  };

  constructor(
    private readonly eventId: number,
    private readonly onSeats: (seats: Seat[]) => void,
    private readonly onError: (error: ApiError) => void,
  ) {}

  /** Starts polling; `seats` + `etag` are the map the page already drew. */
  start(etag: string | null): void {
    this.etag = etag;
    this.lastStart = performance.now();
    this.running = true;
    document.addEventListener('visibilitychange', this.onVisibility);
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.clearTimer();
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  /** Asks for a refresh as soon as the interval allows (e.g. after a seat was just taken). */
  soon(): void {
    this.schedule();
  }

  private schedule(): void {
    if (!this.running || this.inFlight || document.hidden) return;
    this.clearTimer();
    const wait = Math.max(0, this.lastStart + refreshIntervalMs - performance.now());
    this.timer = window.setTimeout(() => void this.tick(), wait);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (!this.running) return;
    this.inFlight = true;
    this.lastStart = performance.now();
    try {
      const { seats, etag } = await fetchSeatMap(this.eventId, this.etag);
      this.etag = etag;
      if (seats && this.running) this.onSeats(seats);
    } catch (error) {
      if (this.running) this.onError(error as ApiError);
    } finally {
      this.inFlight = false;
      this.schedule();
    }
  }
}
