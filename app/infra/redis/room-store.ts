import { readFileSync } from 'node:fs';
import type { RedisClient, ScriptReply as Reply } from './client.ts';

type ScriptName = 'queuePlace' | 'advanceRoom' | 'loadRoom' | 'touchAdmission';

const head = readFileSync(new URL('./lua/room-advance.lua', import.meta.url), 'utf8');
const scripts: Record<ScriptName, { file: string; keys: number; withHead: boolean }> = {
  queuePlace: { file: 'queue-place.lua', keys: 4, withHead: true },
  advanceRoom: { file: 'advance-room.lua', keys: 4, withHead: true },
  loadRoom: { file: 'load-room.lua', keys: 4, withHead: true },
  touchAdmission: { file: 'touch-admission.lua', keys: 2, withHead: false },
};

/** The keys of an event's waiting room; they share the event's hash tag with its seats, so one script may touch both. */
export function roomKeys(prefix: string, eventId: number) {
  const base = `${prefix}{e${eventId}}:room:`;
  return { room: `${base}state`, queue: `${base}queue`, unused: `${base}unused`, used: `${base}used` };
}

/** The settings the scripts need, as the room hash mirrors them. */
export interface RoomMirror {
  enabled: boolean;
  opensAt: number;
  onSaleAt: number;
  admissionRatePerMinute: number;
  maxActive: number;
  admissionTtlSeconds: number;
}

/** What one script call did to the room, for the business metrics; and its state for the edge record. */
export interface RoomActivity {
  reached: number;
  expired: number;
  joined: number;
  waiting: number;
  served: number;
  preQueue: number;
}

export type PlaceResult =
  | { kind: 'not_loaded' }
  | { kind: 'closed' }
  | { kind: 'none'; activity: RoomActivity }
  | { kind: 'admitted'; score: number; lapsesAt: number; used: boolean; activity: RoomActivity }
  | { kind: 'expired'; score: number; activity: RoomActivity }
  /** `ahead` is null before the on-sale, while pre-queue places are not drawn. */
  | { kind: 'waiting'; score: number; ahead: number | null; activity: RoomActivity };

export interface RoomState {
  mirror: RoomMirror;
  served: number;
  preQueue: number;
  waiting: number;
  /** Admissions live now (reached and not lapsed): never above maxActive. */
  live: number;
  reached: number;
  expired: number;
  totals: { joined: number; reached: number; expired: number };
}

/**
 * The waiting room's atomic state in Redis: one sorted set of places per event (member: the user id, score:
 * the place) and two small sorted sets of live admissions, advanced lazily to Redis' TIME by every script.
 */
export class RoomStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {
    for (const [name, { file, keys, withHead }] of Object.entries(scripts)) {
      if (name in redis) continue;
      const body = readFileSync(new URL(`./lua/${file}`, import.meta.url), 'utf8');
      redis.defineCommand(name, { numberOfKeys: keys, lua: withHead ? `${head}\n${body}` : body });
    }
  }

  keys(eventId: number) {
    return roomKeys(this.prefix, eventId);
  }

  private run(name: ScriptName, args: (string | number)[]): Promise<Reply> {
    const command = (this.redis as unknown as Record<ScriptName, (...a: (string | number)[]) => Promise<Reply>>)[name];
    return command.apply(this.redis, args);
  }

  private all(eventId: number): string[] {
    const k = this.keys(eventId);
    return [k.room, k.queue, k.unused, k.used];
  }

  /** Joins the queue (`join`) or reads the place; `randomScore` is used for a pre-queue join, `shownScore` restores a lost place. */
  async place(eventId: number, userId: number, options: { join: boolean; randomScore: number; shownScore?: number }): Promise<PlaceResult> {
    const reply = (await this.run('queuePlace', [
      ...this.all(eventId), userId, options.randomScore, options.shownScore ?? '', options.join ? '1' : '0',
    ])) as Reply[];
    const kind = reply[0] as string;
    if (kind === 'not_loaded' || kind === 'closed') return { kind };
    const n = (i: number) => Number(reply[i]);
    const activity: RoomActivity = { reached: n(4), expired: n(5), joined: n(6), waiting: n(7), served: n(8), preQueue: n(9) };
    if (kind === 'none') return { kind, activity };
    if (kind === 'admitted') return { kind, score: n(1), lapsesAt: n(2), used: n(3) === 1, activity };
    if (kind === 'expired') return { kind, score: n(1), activity };
    return { kind: 'waiting', score: n(1), ahead: n(2) < 0 ? null : n(2), activity };
  }

  /** Advances the room to now and reads its state; null when its settings are not in Redis. */
  async advance(eventId: number): Promise<RoomState | null> {
    const reply = (await this.run('advanceRoom', this.all(eventId))) as Reply[];
    if (reply[0] === 'not_loaded') return null;
    const n = (i: number) => Number(reply[i]);
    return {
      mirror: { enabled: n(0) === 1, opensAt: n(1), onSaleAt: n(2), admissionRatePerMinute: n(3), maxActive: n(4), admissionTtlSeconds: n(5) },
      served: n(6),
      preQueue: n(7),
      waiting: n(8),
      live: n(9),
      reached: n(10),
      expired: n(11),
      totals: { joined: n(12), reached: n(13), expired: n(14) },
    };
  }

  async load(eventId: number, mirror: RoomMirror): Promise<void> {
    await this.run('loadRoom', [
      ...this.all(eventId),
      mirror.enabled ? 1 : 0, mirror.opensAt, mirror.onSaleAt, mirror.admissionRatePerMinute, mirror.maxActive, mirror.admissionTtlSeconds,
    ]);
  }

  /** The room's settings as mirrored, without advancing it (the gate's cache reads this); null when not loaded. */
  async mirror(eventId: number): Promise<RoomMirror | null> {
    const [on, op, os, r, m, t] = await this.redis.hmget(this.keys(eventId).room, 'on', 'op', 'os', 'r', 'm', 't');
    if (on === null || on === undefined) return null;
    return {
      enabled: on === '1',
      opensAt: Number(op),
      onSaleAt: Number(os),
      admissionRatePerMinute: Number(r),
      maxActive: Number(m),
      admissionTtlSeconds: Number(t),
    };
  }

  /** Events that have (or had) a room: the publisher writes their records for the edge. Not on an event's hash tag. */
  async remember(eventId: number): Promise<void> {
    await this.redis.sadd(`${this.prefix}rooms`, String(eventId));
  }

  async rooms(): Promise<number[]> {
    return (await this.redis.smembers(`${this.prefix}rooms`)).map(Number);
  }

  /** Whether `instanceId` is the one publisher now: takes the lease when free, renews it when ours. */
  async lead(instanceId: string, leaseMs: number): Promise<boolean> {
    const key = `${this.prefix}room-publisher`;
    if ((await this.redis.set(key, instanceId, 'PX', leaseMs, 'NX')) === 'OK') return true;
    if ((await this.redis.get(key)) !== instanceId) return false;
    await this.redis.pexpire(key, leaseMs);
    return true;
  }

  /** Marks the admission used and keeps it alive for `ttlMs`; null when it already lapsed. */
  async touch(eventId: number, userId: number, ttlMs: number): Promise<number | null> {
    const k = this.keys(eventId);
    const reply = (await this.run('touchAdmission', [k.unused, k.used, userId, ttlMs])) as Reply[];
    return reply[0] === 'ok' ? Number(reply[1]) : null;
  }
}
