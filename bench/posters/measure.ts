import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Measurement {
  readonly seconds: number;
  /** Peak resident memory of the process tree's main process (GNU time's %M), in MB. */
  readonly peakRssMb?: number;
  /** User + system CPU seconds of the measured process (GNU time's %U + %S). */
  readonly cpuSeconds?: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/** Runs a command to completion, timing it from spawn to exit (start-up included). */
export async function measure(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Measurement> {
  const useTime = existsSync(GNU_TIME);
  const [file, argv] = useTime ? [GNU_TIME, ['-f', '__PEAK_RSS_KB=%M __CPU=%U+%S', command, ...args]] : [command, [...args]];
  const started = process.hrtime.bigint();
  const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? -1)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peak = /__PEAK_RSS_KB=(\d+) __CPU=([\d.]+)\+([\d.]+)/.exec(stderr);
  return {
    seconds,
    exitCode,
    stdout,
    stderr: stderr.replace(/__PEAK_RSS_KB=.*\n?/, ''),
    ...(peak ? { peakRssMb: Number(peak[1]) / 1024, cpuSeconds: Number(peak[2]) + Number(peak[3]) } : {}),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
