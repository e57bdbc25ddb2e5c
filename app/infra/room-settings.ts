import type { Pool } from 'mysql2/promise';
import { findEventRow } from './mysql/events.ts';
import { findWaitingRoom } from './mysql/waiting-rooms.ts';
import type { RoomMirror, RoomStore } from './redis/room-store.ts';

/** How long an instance trusts its copy of a room's settings: an organizer's change reaches every instance within it. */
export const roomSettingsCacheMs = 1_000;

/**
 * Each event's waiting-room settings as the gate needs them on every inventory request: read from Redis' mirror
 * (one HMGET per event per second per instance), rebuilt from MySQL when Redis does not have it (first use, or
 * after Redis lost its data). Events without a room are mirrored as disabled, so they cost no MySQL query either.
 */
export class RoomSettings {
  private readonly cache = new Map<number, { at: number; value: Promise<RoomMirror | null> }>();

  constructor(
    private readonly db: Pool,
    private readonly store: RoomStore,
  ) {}

  /** The room's settings; null when the event does not exist. */
  get(eventId: number, now = Date.now()): Promise<RoomMirror | null> {
    const cached = this.cache.get(eventId);
    if (cached && now - cached.at < roomSettingsCacheMs) return cached.value;
    const value = this.read(eventId);
    this.cache.set(eventId, { at: now, value });
    value.catch(() => this.cache.delete(eventId));
    if (this.cache.size > 1_000) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }

  /** Writes MySQL's settings into Redis' mirror (keeping the queue's state) and drops the cached copy. */
  async reload(eventId: number): Promise<RoomMirror | null> {
    this.cache.delete(eventId);
    return this.loadFromLedger(eventId);
  }

  private async loadFromLedger(eventId: number): Promise<RoomMirror | null> {
    const event = await findEventRow(this.db, eventId);
    if (!event) return null;
    const room = await findWaitingRoom(this.db, eventId);
    const mirror: RoomMirror = room
      ? {
          enabled: room.enabled,
          opensAt: room.opensAt.getTime(),
          onSaleAt: event.onSaleAt.getTime(),
          admissionRatePerMinute: room.admissionRatePerMinute,
          maxActive: room.maxActive,
          admissionTtlSeconds: room.admissionTtlSeconds,
        }
      : { enabled: false, opensAt: 0, onSaleAt: event.onSaleAt.getTime(), admissionRatePerMinute: 1, maxActive: 1, admissionTtlSeconds: 60 };
    await this.store.load(eventId, mirror);
    if (room) await this.store.remember(eventId);
    return mirror;
  }

  private async read(eventId: number): Promise<RoomMirror | null> {
    return (await this.store.mirror(eventId)) ?? this.loadFromLedger(eventId);
  }
}
