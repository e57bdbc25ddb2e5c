import { formatBytes } from '../progress/rates.ts';
import type { RewriteReport } from '../operations/posters/rewrite-poster-keys.ts';
import type { RollbackReport } from '../operations/posters/rollback-poster-keys.ts';
import type { SyncReport } from '../operations/posters/sync-report.ts';
import type { VerifyPostersReport } from '../operations/posters/verify-posters.ts';

/** The human-readable end of a `posters` run (the JSON report carries the same data). */
export function formatPostersReport(report: SyncReport, rewrite?: RewriteReport): string {
  const lines = [
    `${report.dryRun ? 'dry run: ' : ''}${report.files} files (${formatBytes(report.bytes)}) -> s3://${report.bucket}/${report.prefix}`,
    `  uploaded ${report.uploaded} (${formatBytes(report.uploadedBytes)}), unchanged ${report.unchanged}, already there ${report.adopted}` +
      (report.dryRun ? `, would upload ${report.wouldUpload}` : ''),
    `  verified by checksum ${report.verifiedBy.checksum}, by download ${report.verifiedBy.download}, by size ${report.verifiedBy.size}; ` +
      `re-uploaded after a failed verify ${report.reuploadedAfterVerify}; retries ${report.retries}`,
  ];
  if (report.notUploaded.length > 0) lines.push(`  not uploaded: ${report.notUploaded.map((entry) => `${entry.relativePath} (${entry.reason})`).join(', ')}`);
  for (const failure of report.failed) lines.push(`  FAILED ${failure.path}: ${failure.error}`);
  if (rewrite) {
    lines.push(
      `${rewrite.table}.${rewrite.column}: ${rewrite.rows} rows, rewritten ${rewrite.rewritten}${report.dryRun ? ` (would rewrite ${rewrite.wouldRewrite})` : ''}, ` +
        `already current ${rewrite.alreadyCurrent}, no poster ${rewrite.withoutPath}, file missing ${rewrite.missingFile.length}, ` +
        `not verified ${rewrite.notVerified.length}, changed meanwhile ${rewrite.conflicts}`,
    );
    for (const row of rewrite.missingFile.slice(0, 20)) lines.push(`  row ${row.id}: no file for ${row.path}`);
    if (rewrite.missingFile.length > 20) lines.push(`  ... and ${rewrite.missingFile.length - 20} more rows without a file`);
    lines.push(`  undo with --rollback (journal: ${rewrite.journal})`);
  }
  lines.push(`  ${report.seconds.toFixed(1)}s, state in ${report.stateDir}`);
  return `${lines.join('\n')}\n`;
}

/** The human-readable end of `posters --rollback`. */
export function formatRollbackReport(report: RollbackReport): string {
  return `rollback ${report.table}.${report.column}: ${report.restored} restored, ${report.alreadyRestored} already restored, ${report.conflicts.length} changed since (left alone)\n`;
}

/** The human-readable end of `verify-posters`. */
export function formatVerifyPostersReport(report: VerifyPostersReport): string {
  const lines = [`${report.files} files: ${report.matching} match, ${report.mismatches.length} do not`];
  for (const mismatch of report.mismatches.slice(0, 20)) lines.push(`  ${mismatch.path} -> ${mismatch.key}: ${mismatch.reason}`);
  if (report.rows) lines.push(`${report.rows.checked} rows with a key: ${report.rows.missingObject.length} point at a missing object`);
  for (const row of report.rows?.missingObject.slice(0, 20) ?? []) lines.push(`  row ${row.id}: ${row.key} missing`);
  return `${lines.join('\n')}\n`;
}
