import ZongJi from '@vlasky/zongji';
import type { MysqlEndpoint } from '../mysql/connection-url.ts';
import { advanceGtid, type BinlogPosition } from './binlog-position.ts';
import type { BinlogItem, RowChange, RowImage } from './row-change.ts';

export interface BinlogReaderOptions {
  readonly endpoint: MysqlEndpoint;
  readonly database: string;
  /** Tables whose row changes are wanted; other tables of the database are skipped. */
  readonly tables: ReadonlySet<string>;
  /** Column count per followed table: a row event of another shape means the schema changed. */
  readonly columnCounts: ReadonlyMap<string, number>;
  /** This reader's replication server id, unique among the source's replicas. */
  readonly serverId: number;
  /** A transaction boundary to start after. */
  readonly start: BinlogPosition;
  readonly onItem: (item: BinlogItem) => void;
  readonly onError: (error: Error) => void;
}

/** The slice of zongji's event objects this reader uses. */
interface ZongjiEvent {
  getEventName(): string;
  readonly timestamp: number;
  readonly gtid?: string;
  readonly query?: string;
  readonly schema?: string;
  readonly tableId?: number;
  readonly numberOfColumns?: number;
  readonly tableMap?: Record<number, { parentSchema: string; tableName: string }>;
  readonly rows?: (RowImage | { before: RowImage; after: RowImage })[];
}

interface ZongjiInstance {
  options: { filename?: string; position?: number };
  connection: { pause(): void; resume(): void } | null;
  on(event: 'binlog', listener: (event: ZongjiEvent) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'ready' | 'stopped', listener: () => void): void;
  once(event: 'ready' | 'stopped', listener: () => void): void;
  start(options: Record<string, unknown>): void;
  stop(): void;
}

const DDL = /^\s*(?:\/\*.*?\*\/\s*)*(ALTER|CREATE|DROP|RENAME|TRUNCATE)\b/is;
const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|XA)\b/i;

/** Whether a statement logged as text concerns `database`: its default database, or a qualified name in it. */
function concerns(statement: string, defaultSchema: string | undefined, database: string): boolean {
  if (defaultSchema === database) return true;
  const escaped = database.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s,(\`])\`?${escaped}\`?\\s*\\.`, 'i').test(statement) || new RegExp(`DATABASE\\s+(IF\\s+\\w+\\s+)?\`?${escaped}\`?`, 'i').test(statement);
}

/**
 * Streams the source's binlog from a transaction boundary (file + position, as a replica does) with
 * @vlasky/zongji and hands whole transactions to `onItem`. Values arrive as strings for DATE,
 * DATETIME, TIMESTAMP (UTC) and DECIMAL, never through a JS Date, so microseconds and digits survive.
 */
export class BinlogReader {
  private readonly zongji: ZongjiInstance;
  private current: { changes: RowChange[]; gtid?: string } | undefined;
  private gtid: string | undefined;
  private last: BinlogPosition;
  private paused = false;
  private stopped = false;
  private halted = false;

  constructor(private readonly options: BinlogReaderOptions) {
    this.last = options.start;
    this.gtid = options.start.gtid;
    const { endpoint } = options;
    this.zongji = new ZongJi({
      host: endpoint.host,
      port: endpoint.port,
      user: endpoint.user,
      password: endpoint.password,
      charset: 'utf8mb4',
      dateStrings: true,
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      jsonStrings: true,
      connectTimeout: 10_000,
    }) as unknown as ZongjiInstance;
    this.zongji.on('binlog', (event) => {
      try {
        this.handle(event);
      } catch (error) {
        this.options.onError(error as Error);
      }
    });
    this.zongji.on('error', (error) => {
      if (!this.stopped) this.options.onError(error);
    });
  }

  /** Resolves once the server accepted the dump request. */
  async start(): Promise<void> {
    const ready = new Promise<void>((resolve, reject) => {
      this.zongji.once('ready', resolve);
      this.zongji.on('error', reject);
    });
    this.zongji.start({
      serverId: this.options.serverId,
      filename: this.options.start.file,
      position: this.options.start.position,
      includeSchema: { [this.options.database]: true },
    });
    await ready;
  }

  /** Backpressure: stop reading the socket while the applier is behind (the server's send buffer fills, nothing is lost). */
  pause(): void {
    if (this.paused || this.stopped) return;
    this.paused = true;
    this.zongji.connection?.pause();
  }

  resume(): void {
    if (!this.paused || this.stopped || this.halted) return;
    this.paused = false;
    this.zongji.connection?.resume();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const stopped = new Promise<void>((resolve) => this.zongji.once('stopped', resolve));
    this.zongji.stop();
    await stopped;
  }

  private here(): BinlogPosition {
    const { filename, position } = this.zongji.options;
    return { file: filename ?? this.last.file, position: position ?? this.last.position, ...(this.gtid ? { gtid: this.gtid } : {}) };
  }

  private handle(event: ZongjiEvent): void {
    if (this.stopped || this.halted) return;
    const name = event.getEventName();
    switch (name) {
      case 'mariadbgtid':
      case 'gtid':
        this.current = { changes: [], ...(event.gtid ? { gtid: event.gtid } : {}) };
        return;
      case 'tablemap':
        return;
      case 'writerows':
      case 'updaterows':
      case 'deleterows':
        this.rows(name, event);
        return;
      case 'xid':
        this.commit(event);
        return;
      case 'query': {
        const statement = (event.query ?? '').trim();
        if (/^BEGIN$/i.test(statement)) {
          this.current ??= { changes: [], ...(event.gtid ? { gtid: event.gtid } : {}) };
          return;
        }
        if (/^COMMIT$/i.test(statement)) {
          this.commit(event);
          return;
        }
        if (TRANSACTION_CONTROL.test(statement)) return;
        const before = this.last;
        this.current = undefined;
        this.gtid = advanceGtid(this.gtid, event.gtid);
        const after = this.here();
        this.last = after;
        if (DDL.test(statement) && concerns(statement, event.schema, this.options.database)) {
          // Nothing after a DDL statement can be decoded against the schema the follower knows.
          this.halted = true;
          this.pause();
          this.options.onItem({ kind: 'ddl', statement, before, after });
        } else {
          this.options.onItem({ kind: 'position', at: after });
        }
        return;
      }
      default: {
        if (this.current) return;
        const at = this.here();
        if (at.file !== this.last.file || at.position !== this.last.position) {
          this.last = at;
          this.options.onItem({ kind: 'position', at });
        }
      }
    }
  }

  private rows(name: string, event: ZongjiEvent): void {
    const map = event.tableMap?.[event.tableId ?? -1];
    if (!map || map.parentSchema !== this.options.database || !this.options.tables.has(map.tableName)) return;
    const table = map.tableName;
    const expected = this.options.columnCounts.get(table);
    if (expected !== undefined && event.numberOfColumns !== undefined && event.numberOfColumns !== expected) {
      throw new SchemaChangedError(table, expected, event.numberOfColumns, this.last);
    }
    this.current ??= { changes: [] };
    const changes = this.current.changes;
    for (const row of event.rows ?? []) {
      if (name === 'writerows') changes.push({ table, kind: 'insert', after: row as RowImage });
      else if (name === 'deleterows') changes.push({ table, kind: 'delete', before: row as RowImage });
      else {
        const pair = row as { before: RowImage; after: RowImage };
        changes.push({ table, kind: 'update', before: pair.before, after: pair.after });
      }
    }
  }

  private commit(event: ZongjiEvent): void {
    const changes = this.current?.changes ?? [];
    this.gtid = advanceGtid(this.gtid, event.gtid ?? this.current?.gtid);
    this.current = undefined;
    const end = this.here();
    this.last = end;
    this.options.onItem({ kind: 'transaction', changes, end, eventTimeMs: event.timestamp, receivedAt: Date.now() });
  }
}

/** A row event whose column count differs from the table the follower knows: its schema changed in the binlog. */
export class SchemaChangedError extends Error {
  constructor(
    readonly table: string,
    expected: number,
    actual: number,
    readonly at: BinlogPosition,
  ) {
    super(`table ${table} has ${actual} columns in the binlog after ${at.file}:${at.position} but ${expected} when the follower started: its schema changed`);
  }
}
