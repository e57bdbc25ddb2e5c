import { readdirSync, readFileSync } from 'node:fs';
import { processCpuSeconds } from '../process-cpu.ts';

/** Where the machine's cores went during a phase: CPU seconds per group of processes. */
export type CpuSplit = Record<string, number>;

/** Pids of running processes with this command name (e.g. `redis-server`, `mariadbd`). */
export function pidsNamed(...names: string[]): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  return entries.map(Number).filter((pid) => {
    try {
      return names.includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
    } catch {
      return false;
    }
  });
}

/**
 * Measures each group's CPU over a stretch of work. The load generator is this process. Groups are
 * resolved to pids when measuring starts, so a group may be processes started after the meter.
 */
export async function measureCpu<T>(groups: Record<string, () => number[]>, work: () => Promise<T>): Promise<{ result: T; cpu: CpuSplit }> {
  const pids = Object.entries(groups).map(([name, of]) => [name, of()] as const);
  const before = pids.map(([, list]) => list.reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0));
  const generatorBefore = process.cpuUsage();
  const result = await work();
  const generator = process.cpuUsage(generatorBefore);
  const cpu: CpuSplit = {};
  pids.forEach(([name, list], index) => {
    cpu[name] = list.reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0) - before[index]!;
  });
  cpu['load generator'] = (generator.user + generator.system) / 1e6;
  return { result, cpu };
}
