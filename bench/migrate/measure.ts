import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface Measurement {
  readonly seconds: number;
  /** Peak resident set of the largest process in the command (GNU time's %M), in MB. */
  readonly peakRssMb: number;
  /** User + system CPU seconds of the command's own processes (not the servers'). */
  readonly cpuSeconds: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/** Runs a shell command under GNU time: wall seconds and peak RSS, as `time -v` would report them. */
export async function measure(command: string, env: NodeJS.ProcessEnv = process.env): Promise<Measurement> {
  if (!existsSync(GNU_TIME)) throw new Error('GNU time is required for peak RSS: apt-get install -y time');
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(GNU_TIME, ['-f', '__TIME__ %e %M %U %S', 'bash', '-o', 'pipefail', '-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const match = /__TIME__ [\d.]+ (\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
      resolve({
        seconds,
        peakRssMb: match ? Number(match[1]) / 1024 : NaN,
        cpuSeconds: match ? Number(match[2]) + Number(match[3]) : NaN,
        exitCode: code ?? -1,
        stdout,
        stderr: stderr.replace(/^.*__TIME__.*$/m, '').trim(),
      });
    });
  });
}

/** CPU seconds a process has used so far (utime + stime from /proc; Linux only). */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ", utime and stime are fields 12 and 13 (0-based), in clock ticks (100/s).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function commandExists(name: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => existsSync(`${dir}/${name}`));
}
