import { readdirSync, readFileSync } from 'node:fs';

/** Where the machine's cores went during a phase: CPU seconds per group of processes. */
export type CpuSplit = Record<string, number>;

// USER_HZ: 100 on every Linux build that matters here (getconf CLK_TCK).
const CLOCK_TICKS_PER_SECOND = 100;

function cpuSecondsOf(pid: number): number {
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0; // gone, or not Linux
  }
}

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
  const before = pids.map(([, list]) => list.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0));
  const generatorBefore = process.cpuUsage();
  const result = await work();
  const generator = process.cpuUsage(generatorBefore);
  const cpu: CpuSplit = {};
  pids.forEach(([name, list], index) => {
    cpu[name] = list.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0) - before[index]!;
  });
  cpu['load generator'] = (generator.user + generator.system) / 1e6;
  return { result, cpu };
}
