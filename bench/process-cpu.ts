import { readFileSync } from 'node:fs';

// USER_HZ: 100 on every Linux build that matters here (getconf CLK_TCK).
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a running process has used so far, from /proc (Linux); undefined if it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
