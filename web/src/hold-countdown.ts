import { announce } from './announce.ts';
import { formatCountdown, spokenDuration } from './format.ts';

/** Countdown moments worth saying out loud (seconds left). */
const milestones = [300, 60, 30, 10];

/**
 * Ticks a hold's countdown into its elements (the panel's `timer`, the phone bar's copy) four times a second and says the milestones
 * through the live region (a timer is not announced by itself); calls `onExpired` once at zero.
 */
export class HoldCountdown {
  private interval: number | undefined;
  private spoken = new Set<number>();
  timers: HTMLElement[] = [];

  constructor(private readonly onExpired: () => void) {}

  start(expiresAt: string): void {
    this.stop();
    const end = Date.parse(expiresAt);
    this.spoken = new Set(milestones.filter((seconds) => end - Date.now() <= seconds * 1000));
    this.interval = window.setInterval(() => this.tick(end), 250);
  }

  stop(): void {
    window.clearInterval(this.interval);
    this.interval = undefined;
  }

  private tick(end: number): void {
    const msLeft = end - Date.now();
    if (msLeft <= 0) {
      this.stop();
      this.onExpired();
      return;
    }
    const text = formatCountdown(msLeft);
    for (const timer of this.timers) if (timer.textContent !== text) timer.textContent = text;
    for (const seconds of milestones) {
      if (msLeft <= seconds * 1000 && !this.spoken.has(seconds)) {
        this.spoken.add(seconds);
        announce(`${spokenDuration(msLeft)} left to buy your seats.`);
      }
    }
  }
}
