/** What a task counts: table copies count rows, file copies count files; both count bytes. */
export type ProgressUnit = 'rows' | 'files';
export type TaskState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/** One unit of work (a table, a directory, ...). Plain data: reporters only read it. */
export interface TaskProgress {
  readonly id: string;
  state: TaskState;
  /** Items (rows or files) done so far, and expected when known (estimates may be exceeded). */
  done: number;
  total?: number;
  bytes: number;
  totalBytes?: number;
  startedAt?: number;
  finishedAt?: number;
  error?: string;
}

export interface ProgressTotals {
  readonly done: number;
  readonly total: number;
  readonly bytes: number;
  readonly totalBytes: number;
  readonly tasksDone: number;
  readonly tasks: number;
}

export interface ProgressSnapshot {
  readonly unit: ProgressUnit;
  readonly startedAt: number;
  readonly now: number;
  readonly tasks: readonly TaskProgress[];
  readonly totals: ProgressTotals;
}

/** Emitted when a task changes state (never per row: rendering polls snapshots instead). */
export interface TaskStateEvent {
  readonly task: TaskProgress;
  readonly previous: TaskState;
}

/**
 * Counters an operation updates while it works (like rclone's accounting): cheap to update from
 * hot loops, rendered elsewhere by a reporter that polls `snapshot()`.
 */
export class ProgressCounters {
  readonly startedAt: number;
  private readonly tasks = new Map<string, TaskProgress>();
  private readonly listeners = new Set<(event: TaskStateEvent) => void>();

  constructor(
    readonly unit: ProgressUnit,
    private readonly clock: () => number = Date.now,
  ) {
    this.startedAt = clock();
  }

  addTask(id: string, expected: { total?: number; totalBytes?: number } = {}): TaskProgress {
    const task: TaskProgress = { id, state: 'pending', done: 0, bytes: 0, ...expected };
    this.tasks.set(id, task);
    return task;
  }

  task(id: string): TaskProgress {
    const task = this.tasks.get(id);
    if (!task) throw new Error(`progress: unknown task ${id}`);
    return task;
  }

  /** Marks a task running; resumed tasks may start with work already done. */
  start(id: string, alreadyDone: { done?: number; bytes?: number } = {}): void {
    const task = this.task(id);
    task.done += alreadyDone.done ?? 0;
    task.bytes += alreadyDone.bytes ?? 0;
    task.startedAt ??= this.clock();
    this.setState(task, 'running');
  }

  advance(id: string, count: number, bytes = 0): void {
    const task = this.task(id);
    task.done += count;
    task.bytes += bytes;
  }

  finish(id: string): void {
    const task = this.task(id);
    task.finishedAt = this.clock();
    this.setState(task, 'done');
  }

  skip(id: string): void {
    this.setState(this.task(id), 'skipped');
  }

  fail(id: string, error: string): void {
    const task = this.task(id);
    task.error = error;
    task.finishedAt = this.clock();
    this.setState(task, 'failed');
  }

  onTaskState(listener: (event: TaskStateEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): ProgressSnapshot {
    const tasks = [...this.tasks.values()].map((task) => ({ ...task }));
    let done = 0;
    let total = 0;
    let bytes = 0;
    let totalBytes = 0;
    let tasksDone = 0;
    for (const task of tasks) {
      done += task.done;
      total += Math.max(task.total ?? 0, task.done);
      bytes += task.bytes;
      totalBytes += Math.max(task.totalBytes ?? 0, task.bytes);
      if (task.state === 'done' || task.state === 'skipped') tasksDone += 1;
    }
    return {
      unit: this.unit,
      startedAt: this.startedAt,
      now: this.clock(),
      tasks,
      totals: { done, total, bytes, totalBytes, tasksDone, tasks: tasks.length },
    };
  }

  private setState(task: TaskProgress, state: TaskState): void {
    const previous = task.state;
    task.state = state;
    if (previous !== state) for (const listener of this.listeners) listener({ task: { ...task }, previous });
  }
}
