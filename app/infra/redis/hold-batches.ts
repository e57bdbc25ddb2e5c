import type { ScriptReply as Reply } from './client.ts';
import { roomKeys } from './room-store.ts';

/** One hold request as the hold script takes it. */
export interface HoldRequest {
  eventId: number;
  holdId: string;
  userId: number;
  seatIds: number[];
  ttlMs: number;
  maxSeatsPerUser: number;
  /** Set while the event's waiting room gates it: the hold needs a live admission, and keeps it alive this long. */
  admissionTtlMs?: number;
}

/** The script's reply to one request (lua/hold-seats.lua). */
export type HoldReply = Reply[];

/** Runs one hold script: the event's keys then two per request, and the arguments. */
export type RunHoldScript = (keys: string[], args: (string | number)[]) => Promise<Reply>;

/** At most this many holds per script: a script has its Redis shard to itself while it runs (about 10 µs a hold). */
export const maxHoldsPerBatch = 64;

interface Batch {
  keys: string[];
  args: (string | number)[];
  waiting: { resolve: (reply: HoldReply) => void; reject: (error: unknown) => void }[];
}

/**
 * Gathers the hold requests of one event that arrive in the same turn of the event loop (every request whose
 * socket was readable when the loop polled) and sends them as one hold script. Redis decides each as if it had
 * run alone, in arrival order; the API pays the cost of a Redis command (the client's command objects and
 * promises, the encoding, the reply's decoding: about 40 µs of CPU per hold in the on-sale profile) once per batch.
 * A batch never waits for another: it leaves in the loop's check phase, right after the I/O that filled it. All
 * keys of a batch carry the event's hash tag, so a batch is one command on one slot, also on a cluster.
 */
export class HoldBatches {
  private readonly open = new Map<number, Batch>();
  private flushScheduled = false;

  constructor(
    private readonly prefix: string,
    private readonly retainMs: number,
    private readonly run: RunHoldScript,
  ) {}

  /** Resolves with the script's reply to this request; rejects when its batch failed (e.g. Redis unreachable). */
  hold(request: HoldRequest): Promise<HoldReply> {
    let batch = this.open.get(request.eventId);
    if (!batch) {
      batch = this.newBatch(request.eventId);
      this.open.set(request.eventId, batch);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.sendOpenBatches);
      }
    }
    const base = `${this.prefix}{e${request.eventId}}:`;
    batch.keys.push(`${base}u:${request.userId}`, `${base}hold:${request.holdId}`);
    const { args } = batch;
    args.push(request.holdId, request.userId, request.ttlMs, request.maxSeatsPerUser, request.admissionTtlMs ?? '', request.seatIds.length);
    for (const seatId of request.seatIds) args.push(seatId);
    const reply = new Promise<HoldReply>((resolve, reject) => batch.waiting.push({ resolve, reject }));
    if (batch.waiting.length === maxHoldsPerBatch) {
      this.open.delete(request.eventId);
      this.send(batch);
    }
    return reply;
  }

  private newBatch(eventId: number): Batch {
    const base = `${this.prefix}{e${eventId}}:`;
    const room = roomKeys(this.prefix, eventId);
    return { keys: [`${base}seats`, `${base}loaded`, `${base}bought`, room.unused, room.used], args: [this.retainMs], waiting: [] };
  }

  private readonly sendOpenBatches = (): void => {
    this.flushScheduled = false;
    for (const batch of this.open.values()) this.send(batch);
    this.open.clear();
  };

  private send({ keys, args, waiting }: Batch): void {
    this.run(keys, args).then(
      (replies) => {
        if (!Array.isArray(replies) || replies.length !== waiting.length) {
          const error = new Error(`hold script answered ${Array.isArray(replies) ? replies.length : typeof replies} replies to ${waiting.length} requests`);
          for (const { reject } of waiting) reject(error);
          return;
        }
        for (let i = 0; i < waiting.length; i++) waiting[i]!.resolve(replies[i] as HoldReply);
      },
      (error: unknown) => {
        for (const { reject } of waiting) reject(error);
      },
    );
  }
}
