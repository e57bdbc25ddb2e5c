/** What the stall watch needs of one room at one moment. */
export interface RoomProgress {
  enabled: boolean;
  onSaleAt: number;
  /** Places not reached yet. */
  waiting: number;
  /** Places reached since the room was loaded (only grows). */
  reachedTotal: number;
}

/**
 * How long each room has kept buyers waiting without reaching one place: the stall alarm's gauge
 * (`QueueStalledSeconds`). Only after the on-sale: before it the pre-queue waits by design. In memory, on the
 * instance that observes the rooms (the publisher's lease holder); a new holder starts counting afresh, which
 * delays an alarm by at most the time the stall had lasted, never raises a false one.
 */
export class AdmissionStallWatch {
  private readonly progress = new Map<number, { reachedTotal: number; since: number }>();

  /** Whole seconds room `eventId` has been stalled at `now` (0 when it is not). */
  observe(eventId: number, room: RoomProgress, now: number): number {
    const last = this.progress.get(eventId);
    const stalling = room.enabled && now >= room.onSaleAt && room.waiting > 0;
    if (!stalling || !last || last.reachedTotal !== room.reachedTotal) {
      this.progress.set(eventId, { reachedTotal: room.reachedTotal, since: now });
      return 0;
    }
    return Math.floor((now - last.since) / 1000);
  }

  /** Forgets rooms no longer published (deleted events), so the map stays as small as the set of rooms. */
  retain(eventIds: ReadonlySet<number>): void {
    for (const eventId of this.progress.keys()) if (!eventIds.has(eventId)) this.progress.delete(eventId);
  }
}
