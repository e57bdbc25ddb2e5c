import { comparePositions, type BinlogPosition } from './binlog-position.ts';
import type { BinlogItem, RowChange } from './row-change.ts';

type Transaction = Extract<BinlogItem, { kind: 'transaction' }>;
type Ddl = Extract<BinlogItem, { kind: 'ddl' }>;

/** What one target transaction applies: whole source transactions, or a DDL statement to stop at. */
export interface Batch {
  readonly changes: RowChange[];
  /** The position after the last item taken (undefined when nothing but a DDL was taken). */
  readonly end?: BinlogPosition;
  readonly ddl?: Ddl;
  /** Transactions after the cutover position: reported, not applied. */
  readonly late: readonly Transaction[];
}

/**
 * Items the reader received and the applier has not taken yet, in binlog order (a head index, so
 * taking is O(1) however long the backlog). Counts the row changes in it, for backpressure and progress.
 */
export class ChangeQueue {
  private items: BinlogItem[] = [];
  private head = 0;
  private changes = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  /** Row changes received but not taken. */
  get pendingChanges(): number {
    return this.changes;
  }

  push(item: BinlogItem): void {
    this.items.push(item);
    if (item.kind === 'transaction') this.changes += item.changes.length;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.changes = 0;
  }

  /**
   * Seconds since the source committed the oldest change not yet taken: its arrival, or its event's
   * whole-second timestamp + 1 s when the reader itself is behind; 0 when nothing is waiting.
   */
  lagSeconds(now = Date.now()): number {
    for (let index = this.head; index < this.items.length; index += 1) {
      const item = this.items[index]!;
      if (item.kind !== 'transaction' || item.changes.length === 0) continue;
      return Math.max(0, (now - Math.min(item.receivedAt, item.eventTimeMs + 1_000)) / 1000);
    }
    return 0;
  }

  /** Takes whole transactions up to `limit` changes; a DDL item ends the batch before it (or is the batch). */
  take(limit: number, cutoverAt: BinlogPosition | undefined): Batch {
    const changes: RowChange[] = [];
    const late: Transaction[] = [];
    let end: BinlogPosition | undefined;
    let ddl: Ddl | undefined;
    while (this.length && changes.length < limit) {
      const item = this.items[this.head]!;
      if (item.kind === 'ddl') {
        if (changes.length === 0) {
          ddl = item;
          this.advance();
        }
        break;
      }
      this.advance();
      if (item.kind === 'position') {
        end = item.at;
        continue;
      }
      this.changes -= item.changes.length;
      if (cutoverAt && item.changes.length && comparePositions(item.end, cutoverAt) > 0) {
        late.push(item);
        continue;
      }
      changes.push(...item.changes);
      end = item.end;
    }
    return { changes, late, ...(end ? { end } : {}), ...(ddl ? { ddl } : {}) };
  }

  private advance(): void {
    this.head += 1;
    if (this.head > 4_096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
