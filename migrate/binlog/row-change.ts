import type { BinlogPosition } from './binlog-position.ts';

/** Column name -> value as decoded from a row image (strings for temporals and DECIMAL, Buffers for bytes). */
export type RowImage = Readonly<Record<string, unknown>>;

/** One row changed by the source, as the binlog's full row images tell it. */
export type RowChange =
  | { readonly table: string; readonly kind: 'insert'; readonly after: RowImage }
  | { readonly table: string; readonly kind: 'update'; readonly before: RowImage; readonly after: RowImage }
  | { readonly table: string; readonly kind: 'delete'; readonly before: RowImage };

/** What the reader hands to the applier, in binlog order. */
export type BinlogItem =
  /** A committed source transaction's changes to the followed tables, and the position after its commit. */
  | {
      readonly kind: 'transaction';
      readonly changes: readonly RowChange[];
      readonly end: BinlogPosition;
      /** The event header's timestamp (whole seconds, in ms). */
      readonly eventTimeMs: number;
      readonly receivedAt: number;
    }
  /** The log moved on without changing the followed tables (other databases, rotations). */
  | { readonly kind: 'position'; readonly at: BinlogPosition }
  /** A statement that changes the followed database's schema: the follower stops before applying past it. */
  | { readonly kind: 'ddl'; readonly statement: string; readonly before: BinlogPosition; readonly after: BinlogPosition };
