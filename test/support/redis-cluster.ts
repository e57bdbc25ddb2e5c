import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, waitUntil } from './wait.ts';

const run = promisify(execFile);

export interface RedisClusterOptions {
  /** @default 3 */
  masters?: number;
  /** Replicas per master (a failover needs one). @default 0 */
  replicas?: number;
  /** How long a master may be unreachable before its replica takes over. @default 1000 */
  nodeTimeoutMs?: number;
}

interface ClusterNode {
  port: number;
  child: ChildProcess | undefined;
}

/**
 * A local Redis Cluster of the test's own: `redis-server --cluster-enabled yes` on free loopback ports and
 * `redis-cli --cluster create`, no persistence (stopping it loses everything, as a replaced cache does).
 * Start it once per test file; the shared Redis on 6379 is never touched.
 */
export class LocalRedisCluster {
  private generation = 0;

  private constructor(
    private readonly nodes: ClusterNode[],
    private readonly dir: string,
    private readonly options: Required<RedisClusterOptions>,
  ) {}

  static async start(options: RedisClusterOptions = {}): Promise<LocalRedisCluster> {
    const settings = { masters: 3, replicas: 0, nodeTimeoutMs: 1_000, ...options };
    const count = settings.masters * (1 + settings.replicas);
    const ports: number[] = [];
    while (ports.length < count) {
      const port = await freePort();
      // The cluster bus listens on port + 10000: both must be free, and distinct from the other nodes'.
      if (port + 10_000 < 65_536 && !ports.includes(port)) ports.push(port);
    }
    const cluster = new LocalRedisCluster(ports.map((port) => ({ port, child: undefined })), await mkdtemp(join(tmpdir(), 'tk-redis-cluster-')), settings);
    await cluster.startAgain();
    return cluster;
  }

  /** The seed the API is given (one node is enough: the client reads the slot map from it). */
  get url(): string {
    return `redis://127.0.0.1:${this.nodes[0]!.port}`;
  }

  get ports(): number[] {
    return this.nodes.map((node) => node.port);
  }

  /** Starts every node empty and creates the cluster afresh (new node ids, slots spread evenly). */
  async startAgain(): Promise<void> {
    const dir = join(this.dir, String(++this.generation));
    await mkdir(dir);
    for (const node of this.nodes) {
      node.child = spawn('redis-server', [
        '--port', String(node.port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
        '--cluster-config-file', `nodes-${node.port}.conf`, '--cluster-node-timeout', String(this.options.nodeTimeoutMs),
        '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no',
        // A replica may always stand for election: on a loaded machine a late first sync must not bar it.
        '--cluster-replica-validity-factor', '0',
      ], { stdio: 'ignore' });
    }
    await Promise.all(this.nodes.map((node) => waitUntil(`redis-server on ${node.port}`, () => answers(node.port), 15_000, 20)));
    await run('redis-cli', [
      '--cluster', 'create', ...this.nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas', String(this.options.replicas), '--cluster-yes',
    ]);
    await waitUntil('cluster_state:ok on every node', async () => (await Promise.all(this.nodes.map((node) => stateOk(node.port)))).every(Boolean), 15_000, 20);
    // Replicas in sync before anyone relies on a failover.
    if (this.options.replicas > 0) {
      await waitUntil('every replica linked to its master', async () => (await Promise.all(this.nodes.map((node) => replicaLinkedOrMaster(node.port)))).every(Boolean), 15_000, 20);
    }
  }

  /** The port of the master that serves `slot` now, as the first live node sees it. */
  async masterOf(slot: number): Promise<number> {
    for (const node of this.nodes) {
      if (!node.child || node.child.exitCode !== null) continue;
      const slots = (await query(node.port, 'CLUSTER', 'SLOTS')) as [number, number, [string, number, string]][];
      const range = slots.find(([from, to]) => slot >= from && slot <= to);
      if (range) return range[2][1];
    }
    throw new Error(`no live node knows slot ${slot}`);
  }

  /** CLUSTER KEYSLOT of `key`, asked of a live node. */
  async keySlot(key: string): Promise<number> {
    const node = this.nodes.find((candidate) => candidate.child && candidate.child.exitCode === null)!;
    return Number(await query(node.port, 'CLUSTER', 'KEYSLOT', key));
  }

  /** kill -9 of one node: its connections drop, its data is gone. */
  async kill(port: number): Promise<void> {
    const node = this.nodes.find((candidate) => candidate.port === port);
    if (!node) throw new Error(`no node on port ${port}`);
    await killNode(node);
  }

  /** Kills every node: the whole cache is gone. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map(killNode));
  }

  async close(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function killNode(node: ClusterNode): Promise<void> {
  const child = node.child;
  node.child = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function query(port: number, ...args: string[]): Promise<unknown> {
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return await probe.call(args[0]!, ...args.slice(1));
  } finally {
    probe.disconnect();
  }
}

async function answers(port: number): Promise<boolean> {
  return (await query(port, 'PING').catch(() => null)) === 'PONG';
}

async function replicaLinkedOrMaster(port: number): Promise<boolean> {
  const info = String(await query(port, 'INFO', 'replication').catch(() => ''));
  return info.includes('role:master') || info.includes('master_link_status:up');
}

async function stateOk(port: number): Promise<boolean> {
  return String(await query(port, 'CLUSTER', 'INFO').catch(() => '')).includes('cluster_state:ok');
}
