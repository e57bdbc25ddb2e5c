import { readFileSync } from 'node:fs';
import type { RedisClient, ScriptReply as Reply } from './client.ts';
import { HoldBatches, type HoldRequest } from './hold-batches.ts';

type ScriptName = 'holdSeats' | 'beginPurchase' | 'completePurchase' | 'abortPurchase' | 'releaseHold' | 'loadSoldSeats';

const scripts: Record<ScriptName, { file: string; keys: number }> = {
  // Batches of holds (hold-batches.ts): the number of keys varies, so it is the script's first argument.
  holdSeats: { file: 'hold-seats.lua', keys: -1 },
  beginPurchase: { file: 'begin-purchase.lua', keys: 3 },
  completePurchase: { file: 'complete-purchase.lua', keys: 5 },
  abortPurchase: { file: 'abort-purchase.lua', keys: 1 },
  releaseHold: { file: 'release-hold.lua', keys: 3 },
  loadSoldSeats: { file: 'load-sold-seats.lua', keys: 3 },
};

/** Seat state as Redis knows it: held until a time, or sold. Seats absent from the map are available. */
export type SeatState = { kind: 'held'; holdId: string; expiresAt: number } | { kind: 'sold' };

export interface HoldRecord {
  id: string;
  eventId: number;
  userId: number;
  seatIds: number[];
  expiresAt: number;
  state: 'active' | 'purchasing' | 'purchased' | 'released';
  orderId: number | null;
}

/** `admissionLapsesAt`: when the buyer's waiting-room admission now lapses (0 when the room does not gate the event). */
export type HoldResult =
  | { kind: 'not_loaded' }
  | { kind: 'queue_required' }
  | { kind: 'limit'; heldOrBought: number; admissionLapsesAt: number }
  | { kind: 'taken'; seatIds: number[]; admissionLapsesAt: number }
  | { kind: 'ok'; expiresAt: number; admissionLapsesAt: number };

export type BeginPurchaseResult =
  | { kind: 'missing' }
  | { kind: 'purchased'; orderId: number }
  | { kind: 'in_progress' }
  | { kind: 'expired' }
  | { kind: 'ok' };

/** How long a hold's record outlives the hold, so late purchases get 410 rather than 404. */
const retainMs = 3_600_000;
/** How long a purchase keeps its seats reserved past the hold's expiry while the ledger commits. */
const purchaseLeaseMs = 15_000;
const soldBatch = 2_000;

/**
 * The atomic seat gate. Every key of an event shares the hash tag `{e<id>}`, so each Lua script touches
 * one slot and the same code runs on Redis Cluster.
 */
export class SeatStore {
  private readonly holdBatches: HoldBatches;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {
    for (const [name, { file, keys }] of Object.entries(scripts)) {
      if (name in redis) continue;
      redis.defineCommand(name, {
        ...(keys >= 0 ? { numberOfKeys: keys } : {}),
        lua: readFileSync(new URL(`./lua/${file}`, import.meta.url), 'utf8'),
      });
    }
    this.holdBatches = new HoldBatches(prefix, retainMs, (keys, args) => this.run('holdSeats', [keys.length, ...keys, ...args]));
  }

  private keys(eventId: number) {
    const base = `${this.prefix}{e${eventId}}:`;
    return {
      seats: `${base}seats`,
      loaded: `${base}loaded`,
      bought: `${base}bought`,
      userHolds: (userId: number) => `${base}u:${userId}`,
      hold: (holdId: string) => `${base}hold:${holdId}`,
    };
  }

  private run(name: ScriptName, args: (string | number)[]): Promise<Reply> {
    const command = (this.redis as unknown as Record<ScriptName, (...a: (string | number)[]) => Promise<Reply>>)[name];
    return command.apply(this.redis, args);
  }

  async holdSeats(input: HoldRequest): Promise<HoldResult> {
    // Sent with the other holds of this event that arrive in the same event-loop turn: one script per batch.
    const reply = await this.holdBatches.hold(input);
    const admissionLapsesAt = Number(reply[2] ?? 0);
    switch (reply[0]) {
      case 'not_loaded': return { kind: 'not_loaded' };
      case 'queue_required': return { kind: 'queue_required' };
      case 'limit': return { kind: 'limit', heldOrBought: Number(reply[1]), admissionLapsesAt };
      case 'taken': return { kind: 'taken', seatIds: (reply[1] as string[]).map(Number), admissionLapsesAt };
      default: return { kind: 'ok', expiresAt: Number(reply[1]), admissionLapsesAt };
    }
  }

  async beginPurchase(eventId: number, holdId: string, userId: number, idempotencyKey: string): Promise<BeginPurchaseResult> {
    const k = this.keys(eventId);
    const reply = (await this.run('beginPurchase', [
      k.seats, k.hold(holdId), k.userHolds(userId), holdId, userId, idempotencyKey, purchaseLeaseMs,
    ])) as Reply[];
    switch (reply[0]) {
      case 'missing': return { kind: 'missing' };
      case 'purchased': return { kind: 'purchased', orderId: Number(reply[1]) };
      case 'in_progress': return { kind: 'in_progress' };
      case 'expired': return { kind: 'expired' };
      default: return { kind: 'ok' };
    }
  }

  async completePurchase(eventId: number, holdId: string, userId: number, orderId: number, seatIds: number[]): Promise<void> {
    const k = this.keys(eventId);
    await this.run('completePurchase', [
      k.seats, k.loaded, k.bought, k.userHolds(userId), k.hold(holdId), holdId, userId, orderId, ...seatIds,
    ]);
  }

  async abortPurchase(eventId: number, holdId: string, idempotencyKey: string): Promise<void> {
    await this.run('abortPurchase', [this.keys(eventId).hold(holdId), idempotencyKey]);
  }

  async releaseHold(eventId: number, holdId: string, userId: number): Promise<'missing' | 'purchased' | 'in_progress' | 'released'> {
    const k = this.keys(eventId);
    return (await this.run('releaseHold', [
      k.seats, k.hold(holdId), k.userHolds(userId), holdId, userId,
    ])) as 'missing' | 'purchased' | 'in_progress' | 'released';
  }

  async getHold(eventId: number, holdId: string): Promise<HoldRecord | null> {
    const hold = await this.redis.hgetall(this.keys(eventId).hold(holdId));
    if (!hold.user) return null;
    return {
      id: holdId,
      eventId,
      userId: Number(hold.user),
      seatIds: hold.seats ? hold.seats.split(',').map(Number) : [],
      expiresAt: Number(hold.exp),
      state: hold.state as HoldRecord['state'],
      orderId: hold.order ? Number(hold.order) : null,
    };
  }

  /** Marks seats sold that the ledger says are sold, when Redis did not know it. */
  async markSold(eventId: number, seatIds: number[]): Promise<void> {
    if (seatIds.length === 0) return;
    await this.redis.hset(this.keys(eventId).seats, Object.fromEntries(seatIds.map((id) => [id, 's|ledger'])));
  }

  async isLoaded(eventId: number): Promise<boolean> {
    return (await this.redis.exists(this.keys(eventId).loaded)) === 1;
  }

  /** Writes the ledger's sold seats and per-buyer counts, then marks the event loaded. */
  async loadSoldSeats(
    eventId: number,
    sold: { seatId: number; orderId: number }[],
    boughtByUser: Map<number, number>,
  ): Promise<void> {
    const k = this.keys(eventId);
    const keys = [k.seats, k.loaded, k.bought];
    for (let i = 0; i < sold.length; i += soldBatch) {
      const batch = sold.slice(i, i + soldBatch);
      await this.run('loadSoldSeats', [...keys, batch.length, ...batch.flatMap((s) => [s.seatId, s.orderId])]);
    }
    const counts = [...boughtByUser].flat();
    for (let i = 0; i < counts.length; i += soldBatch * 2) {
      await this.run('loadSoldSeats', [...keys, 0, ...counts.slice(i, i + soldBatch * 2)]);
    }
    await this.run('loadSoldSeats', [...keys, -1]);
  }

  /** Held and sold seats of an event right now; expired holds are left out. */
  async seatStates(eventId: number, now = Date.now()): Promise<Map<number, SeatState>> {
    const raw = await this.redis.hgetall(this.keys(eventId).seats);
    const states = new Map<number, SeatState>();
    for (const [seatId, value] of Object.entries(raw)) {
      const state = parseSeatState(value);
      if (state.kind === 'sold' || state.expiresAt > now) states.set(Number(seatId), state);
    }
    return states;
  }
}

function parseSeatState(value: string): SeatState {
  if (value.startsWith('s|')) return { kind: 'sold' };
  const [, holdId = '', expiresAt = '0'] = value.split('|');
  return { kind: 'held', holdId, expiresAt: Number(expiresAt) };
}
