/**
 * Splits SHOW CREATE TABLE into the table to create before the bulk load (columns, primary key,
 * options) and the secondary indexes and foreign keys to add after it: InnoDB builds an index
 * from sorted data much faster than it maintains one row by row.
 */
export interface SplitTableDdl {
  readonly createTable: string;
  /** ALTER TABLE clauses (`ADD KEY ...`, `ADD CONSTRAINT ... FOREIGN KEY ...`), empty when nothing is deferred. */
  readonly deferred: readonly string[];
}

const DEFERRABLE = /^\s*((UNIQUE |FULLTEXT |SPATIAL )?(KEY|INDEX) |CONSTRAINT .* FOREIGN KEY )/i;

export function splitTableDdl(createSql: string): SplitTableDdl {
  const lines = createSql.split('\n');
  const kept: string[] = [];
  const deferred: string[] = [];
  for (const line of lines) {
    if (DEFERRABLE.test(line)) deferred.push(`ADD ${line.trim().replace(/,$/, '')}`);
    else kept.push(line);
  }
  // Removing trailing definitions can leave a dangling comma before the closing parenthesis.
  for (let i = kept.length - 1; i > 0; i -= 1) {
    if (/^\)/.test(kept[i]!)) {
      kept[i - 1] = kept[i - 1]!.replace(/,\s*$/, '');
      break;
    }
  }
  return { createTable: kept.join('\n'), deferred };
}

const FOREIGN_KEY = /^ADD CONSTRAINT .* FOREIGN KEY /i;

/** Deferred clauses that add indexes (built as each table finishes) or foreign keys (added last). */
export function deferredIndexes(deferred: readonly string[]): string[] {
  return deferred.filter((clause) => !FOREIGN_KEY.test(clause));
}

export function deferredForeignKeys(deferred: readonly string[]): string[] {
  return deferred.filter((clause) => FOREIGN_KEY.test(clause));
}

/** One ALTER for all deferred clauses, so InnoDB builds the indexes in a single pass. */
export function deferredAlter(quotedTable: string, deferred: readonly string[]): string | undefined {
  if (deferred.length === 0) return undefined;
  return `ALTER TABLE ${quotedTable} ${deferred.join(', ')}`;
}
