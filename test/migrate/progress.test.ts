import { describe, expect, test } from 'vitest';
import { createReporter, JsonLinesReporter, LineReporter, ProgressCounters, TtyBarReporter, estimateRate } from '../../migrate/progress/index.ts';

function captureStream(isTTY = false) {
  const chunks: string[] = [];
  return { stream: { write: (chunk: string) => (chunks.push(chunk), true), isTTY, columns: 120 }, text: () => chunks.join('') };
}

describe('progress counters', () => {
  test('aggregate rows, bytes and finished tasks; resumed work counts as done', () => {
    let now = 1_000;
    const counters = new ProgressCounters('rows', () => now);
    counters.addTask('users', { total: 100 });
    counters.addTask('orders', { total: 50 });
    counters.start('users', { done: 40, bytes: 400 });
    counters.advance('users', 60, 600);
    counters.finish('users');
    counters.start('orders');
    counters.advance('orders', 10, 100);
    now = 3_000;
    const snapshot = counters.snapshot();
    expect(snapshot.totals).toEqual({ done: 110, total: 150, bytes: 1100, totalBytes: 1100, tasksDone: 1, tasks: 2 });
    const rate = estimateRate(snapshot);
    expect(rate.itemsPerSecond).toBe(55);
    expect(rate.etaSeconds).toBeCloseTo(40 / 55);
  });

  test('work beyond an estimate raises the total instead of passing 100%', () => {
    const counters = new ProgressCounters('files');
    counters.addTask('posters', { total: 2 });
    counters.start('posters');
    counters.advance('posters', 5);
    expect(counters.snapshot().totals.total).toBe(5);
  });
});

describe('reporters', () => {
  test('JSON lines: a task line per state change and a final progress line', () => {
    const output = captureStream();
    const counters = new ProgressCounters('files');
    const reporter = new JsonLinesReporter(output.stream, 60_000, { phase: 'upload' });
    reporter.start(counters);
    counters.addTask('posters/2019', { total: 3 });
    counters.start('posters/2019');
    counters.advance('posters/2019', 3, 3_000);
    counters.finish('posters/2019');
    reporter.log('skipped a symlink');
    reporter.stop();
    const lines = output.text().trim().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ type: 'task', id: 'posters/2019', state: 'done', done: 3, bytes: 3_000, unit: 'files', phase: 'upload' });
    expect(lines[1]).toEqual({ type: 'log', message: 'skipped a symlink', phase: 'upload' });
    expect(lines[2]).toMatchObject({ type: 'progress', done: 3, total: 3, tasksDone: 1, tasks: 1, phase: 'upload' });
  });

  test('plain lines name each finished or failed task', () => {
    const output = captureStream();
    const counters = new ProgressCounters('rows');
    const reporter = new LineReporter(output.stream);
    reporter.start(counters);
    counters.addTask('users');
    counters.start('users');
    counters.advance('users', 1234, 2048);
    counters.finish('users');
    counters.addTask('orders');
    counters.fail('orders', 'lock wait timeout');
    reporter.stop();
    expect(output.text()).toMatch(/^done users: 1,234 rows, 2\.0 KB in [\d.]+s\nfailed orders: 0 rows in [\d.]+s: lock wait timeout\n$/);
  });

  test('createReporter picks JSON, bars on a TTY, lines otherwise', () => {
    expect(createReporter({ json: true, stream: captureStream(true).stream })).toBeInstanceOf(JsonLinesReporter);
    expect(createReporter({ json: false, stream: captureStream(true).stream })).toBeInstanceOf(TtyBarReporter);
    expect(createReporter({ json: false, stream: captureStream(false).stream })).toBeInstanceOf(LineReporter);
  });

  test('the TTY reporter draws bars and reports a finished task', () => {
    const output = captureStream(true);
    const counters = new ProgressCounters('rows');
    const reporter = new TtyBarReporter(output.stream, 60_000);
    reporter.start(counters);
    counters.addTask('seats', { total: 10 });
    counters.start('seats');
    counters.advance('seats', 10, 100);
    counters.finish('seats');
    reporter.stop();
    expect(output.text()).toContain('v seats: 10 rows');
    expect(output.text()).toContain('1/1 done');
  });
});
