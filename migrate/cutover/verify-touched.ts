import type mysql from 'mysql2/promise';
import { copiedColumns } from '../mysql/column-expressions.ts';
import { readTables } from '../mysql/schema-reader.ts';
import { verifyTables, type TableToVerify, type TableVerification } from '../operations/verify-tables.ts';
import type { ProgressCounters } from '../progress/counters.ts';
import { CheckpointStore } from '../state/checkpoint-store.ts';

export interface VerifyTouchedInput {
  readonly sources: readonly mysql.Connection[];
  readonly targets: readonly mysql.Connection[];
  readonly sourceDatabase: string;
  readonly stateSchema: string;
  readonly targetDatabase: string;
  /** Chunk indexes per table changed since the snapshot (recorded by the follower with each batch). */
  readonly touched: ReadonlyMap<string, ReadonlySet<number>>;
  readonly counters: ProgressCounters;
}

/** Compares, on both servers, every chunk the follower changed since the snapshot (the rest was verified after the copy). */
export async function verifyTouchedChunks(input: VerifyTouchedInput): Promise<{ tables: TableVerification[]; chunks: number }> {
  const plans = await new CheckpointStore(input.stateSchema, input.targetDatabase).load(input.targets[0]!);
  const tables = (await readTables(input.sources[0]!, input.sourceDatabase)).filter((table) => input.touched.has(table.name));
  const items: TableToVerify[] = tables.map((table) => {
    const indexes = input.touched.get(table.name)!;
    const chunks = (plans.get(table.name)?.chunks ?? [{ index: 0 }]).filter((chunk) => indexes.has(chunk.index));
    return { table, chunks: chunks.length ? chunks : [{ index: 0 }], columns: copiedColumns(table.columns) };
  });
  const verification = await verifyTables({ sources: input.sources, targets: input.targets, tables: items, counters: input.counters });
  return { tables: verification, chunks: items.reduce((sum, item) => sum + item.chunks.length, 0) };
}
