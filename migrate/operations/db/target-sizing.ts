import type { ServerSettings } from '../../mysql/server-settings.ts';
import type { TableInfo } from '../../mysql/schema-reader.ts';

const MIB = 1024 * 1024;

/** How much of the target's memory one chunk or one index build may count on: derived, never tuned by hand. */
export interface TargetSizing extends ServerSettings {
  /** Bytes one chunk transaction should stay under: a fraction of the buffer pool and of the redo log. */
  readonly chunkBytes: number;
  /** Index builds (ALTER TABLE ... ADD KEY) in flight at once, across tables. */
  readonly indexBuilds: number;
}

/**
 * A chunk stays within 1/8 of the buffer pool and 1/4 of the redo log (at most 64 MiB), so a small
 * target (128 MB pool, as a fresh MariaDB or a small RDS class has) never has to flush a chunk's
 * pages before its checksum reads them back. One index build per 256 MB of buffer pool (at least
 * one, at most --parallel): each build scans its table and sorts, and two on a small pool evict each other.
 */
export function sizeForTarget(settings: ServerSettings, parallel: number): TargetSizing {
  return {
    ...settings,
    chunkBytes: Math.max(MIB, Math.min(settings.bufferPoolBytes / 8, settings.redoLogBytes / 4, 64 * MIB)),
    indexBuilds: Math.max(1, Math.min(parallel, Math.floor(settings.bufferPoolBytes / (256 * MIB)))),
  };
}

/** --chunk-rows, lowered for wide rows so that a chunk stays within `sizing.chunkBytes` (never raised). */
export function chunkRowsFor(table: TableInfo, requested: number, sizing: TargetSizing): number {
  if (table.rowsEstimate <= 0 || table.dataBytes <= 0) return requested;
  const bytesPerRow = table.dataBytes / table.rowsEstimate;
  return Math.max(1, Math.min(requested, Math.floor(sizing.chunkBytes / bytesPerRow)));
}
