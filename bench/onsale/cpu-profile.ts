import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** Where a frame's code lives: a package, a file of this repo, Node's internals, or V8's own buckets. */
function area(url: string): string {
  if (!url) return '(native / V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const own = /\/(app|bin|bench|test)\/(.*)$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

/**
 * Self time per function and per package/file of the main thread's .cpuprofile in `dir` (idle time left
 * out). Node writes one file per thread (`CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`); thread 0 is
 * the server, the others are tsx's module loader.
 */
export async function summariseProfile(dir: string, top = 15): Promise<{ totalMs: number; functions: SelfTime[]; areas: SelfTime[] }> {
  const files = (await readdir(dir)).filter((file) => /\.\d+\.0\.\d+\.cpuprofile$/.test(file)).sort();
  if (!files.length) throw new Error(`no main-thread .cpuprofile in ${dir}`);
  const profile = JSON.parse(await readFile(join(dir, files[files.length - 1]!), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    totalUs += us;
    const where = area(url);
    const name = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    const bucket = functionName === '(garbage collector)' ? '(garbage collector)' : functionName === '(program)' ? '(program)' : where;
    areas.set(bucket, (areas.get(bucket) ?? 0) + us);
  }
  const rank = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, ms: us / 1000, share: us / totalUs }));
  return { totalMs: totalUs / 1000, functions: rank(functions), areas: rank(areas) };
}
