/** A point in the source's binary log: a transaction boundary, never the middle of one. */
export interface BinlogPosition {
  readonly file: string;
  readonly position: number;
  /** MariaDB `gtid_binlog_pos` / MySQL `gtid_executed` at this point, when known. */
  readonly gtid?: string;
}

function fileNumber(file: string): number {
  const match = /\.(\d+)$/.exec(file);
  if (!match) throw new Error(`unexpected binlog file name: ${file}`);
  return Number(match[1]);
}

/** Negative when `a` is earlier in the log than `b`, 0 when equal (by file sequence number, then offset). */
export function comparePositions(a: BinlogPosition, b: BinlogPosition): number {
  return fileNumber(a.file) - fileNumber(b.file) || a.position - b.position;
}

export function formatPosition(position: BinlogPosition): string {
  return `${position.file}:${position.position}${position.gtid ? ` (GTID ${position.gtid})` : ''}`;
}

/**
 * Folds one transaction's GTID (`domain-server-seq` on MariaDB) into a `gtid_binlog_pos`-style
 * position: one entry per replication domain, the newest wins. MySQL UUID GTIDs are kept as the last one seen.
 */
export function advanceGtid(position: string | undefined, gtid: string | undefined): string | undefined {
  if (!gtid) return position;
  const parts = /^(\d+)-(\d+)-(\d+)$/.exec(gtid);
  if (!parts) return gtid;
  const domains = new Map<string, string>();
  for (const entry of (position ?? '').split(',').filter(Boolean)) {
    const domain = entry.split('-', 1)[0]!;
    domains.set(domain, entry);
  }
  domains.set(parts[1]!, gtid);
  return [...domains.values()].sort((x, y) => Number(x.split('-')[0]) - Number(y.split('-')[0])).join(',');
}
