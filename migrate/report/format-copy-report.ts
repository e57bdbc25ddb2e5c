import type { CopyReport } from '../operations/db/copy-report.ts';
import type { SnapshotInfo } from '../mysql/snapshot.ts';
import { formatBytes, formatSeconds } from '../progress/rates.ts';
import { formatVerification } from './format-verification.ts';
import { textTable } from './text-table.ts';

export function describeSnapshot(snapshot: SnapshotInfo): string {
  const position = snapshot.binlogEnabled
    ? `binlog ${snapshot.binlogFile}:${snapshot.binlogPosition}${snapshot.gtid ? ` gtid ${snapshot.gtid}` : ''}`
    : 'binlog off';
  return `snapshot at ${snapshot.takenAt} (${position}, lock: ${snapshot.lock})${snapshot.note ? `; ${snapshot.note}` : ''}`;
}

/** The human-readable report of `bin/migrate db`. */
export function formatCopyReport(report: CopyReport): string {
  const lines: string[] = [];
  lines.push(`${report.dryRun ? 'dry run: would copy' : 'copied'} ${report.source} -> ${report.target}`);
  if (report.snapshot) lines.push(describeSnapshot(report.snapshot));
  lines.push(
    textTable(
      ['table', 'action', report.dryRun ? 'rows (est.)' : 'rows', 'bytes', 'chunks', 'seconds', 'verdict'],
      report.tables.map((table) => [table.name, table.action, table.rows, formatBytes(table.bytes), table.chunks, table.seconds.toFixed(1), table.verdict]),
    ),
  );
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  if (report.leftoverSessions) {
    lines.push(`ended ${report.leftoverSessions.found} session(s) an interrupted run had left on the target (${report.leftoverSessions.killed} killed)`);
  }
  const retries = Object.entries(report.retries);
  if (retries.length > 0) lines.push(`retried: ${retries.map(([reason, count]) => `${count} after ${reason}`).join(', ')}`);
  for (const object of report.objects) {
    lines.push(`${object.status === 'created' ? 'created' : 'NOT CREATED'} ${object.kind} ${object.name}${object.reason ? `: ${object.reason}` : ''}`);
  }
  if (report.verification) lines.push(...formatVerification(report.verification));
  if (!report.dryRun) {
    lines.push(`copy ${formatSeconds(report.seconds.copy)}, verify ${formatSeconds(report.seconds.verify)}, total ${formatSeconds(report.seconds.total)}`);
  }
  return `${lines.join('\n')}\n`;
}
