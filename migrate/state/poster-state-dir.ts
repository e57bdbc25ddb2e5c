import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import path from 'node:path';

export interface StateDirIdentity {
  readonly from: string;
  readonly endpoint?: string;
  readonly bucket: string;
  readonly prefix: string;
}

/**
 * Where a run keeps its manifest and rewrite journal: under $XDG_STATE_HOME (or ~/.local/state),
 * one folder per (source, endpoint, bucket, prefix), so it is neither in the source tree nor in the bucket.
 */
export function defaultStateDir(identity: StateDirIdentity, env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME || path.join(env.HOME || homedir(), '.local', 'state');
  const id = createHash('sha256')
    .update(JSON.stringify([path.resolve(identity.from), identity.endpoint ?? 'aws', identity.bucket, identity.prefix]))
    .digest('hex')
    .slice(0, 16);
  return path.join(base, 'ticketkit', 'posters', `${identity.bucket}-${id}`);
}

/** True when `inner` is `outer` or somewhere below it. */
export function isInside(inner: string, outer: string): boolean {
  const relative = path.relative(path.resolve(outer), path.resolve(inner));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
