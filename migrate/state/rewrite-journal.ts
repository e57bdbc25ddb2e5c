import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';

/** One row change made by a rewrite: enough to put the old value back. */
export interface JournalEntry {
  readonly id: string | number;
  readonly before: string | null;
  readonly after: string;
  readonly path: string | null;
}

/** Journal of rewrites for one table column, in the state directory: what --rollback replays backwards. */
export class RewriteJournal {
  constructor(readonly file: string) {}

  static for(stateDir: string, table: string, column: string): RewriteJournal {
    return new RewriteJournal(path.join(stateDir, `rewrite-${table}.${column}.jsonl`));
  }

  /** Appends and fsyncs before the rows change, so a crash never leaves a change without its undo. */
  async append(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    const handle = await open(this.file, 'a');
    try {
      await handle.writeFile(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async read(): Promise<JournalEntry[]> {
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const entries: JournalEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        entries.push(JSON.parse(line) as JournalEntry);
      } catch {
        // torn last line of a crashed run: its rows were never changed
      }
    }
    return entries;
  }

  /** After a complete rollback the journal is kept beside, renamed, for the record. */
  async retire(): Promise<string> {
    const retired = this.file.replace(/\.jsonl$/, `.rolled-back-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
    await rename(this.file, retired);
    return retired;
  }
}
