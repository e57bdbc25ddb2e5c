import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.ts';

const logger = fileURLToPath(new URL('../../app/logger.ts', import.meta.url));

/** Runs `script` (with `createLogger` in scope) in a Node process of its own; resolves with its stdout lines as JSON. */
function runLogging(script: string): Promise<{ lines: Record<string, unknown>[]; code: number | null }> {
  const source = `import { createLogger } from ${JSON.stringify(logger)};\n${script}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({
    code,
    lines: stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>),
  })));
}

describe('the API logger', () => {
  it('writes every line, in order, though it gathers them: the last ones at exit, also at process.exit()', async () => {
    const { lines, code } = await runLogging(`
      const log = createLogger('info');
      for (let i = 0; i < 3000; i++) log.info({ i }, 'request');
      log.warn({ last: true }, 'stopping');
      process.exit(3);
    `);
    expect(code).toBe(3);
    expect(lines).toHaveLength(3001);
    expect(lines.slice(0, 3000).map((line) => line.i)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(lines[3000]).toMatchObject({ level: 40, msg: 'stopping', last: true, service: 'ticketkit-api' });
  });

  it('writes a lone line within its flush interval while the process runs on (no exit needed)', async () => {
    const source = `import { createLogger } from ${JSON.stringify(logger)};\ncreateLogger('info').info('instance ready');\nsetInterval(() => {}, 1_000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await waitUntil('the line on stdout', () => stdout.includes('"msg":"instance ready"'), 10_000, 20);
    } finally {
      // SIGKILL: no exit handler runs, so the line above was written by the periodic flush.
      child.kill('SIGKILL');
    }
  });
});
