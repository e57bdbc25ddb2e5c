import mysql, { type RowDataPacket } from 'mysql2/promise';
import { startMariadbServer, type MariadbServer } from './mariadb-server.ts';
import { waitUntil } from './wait.ts';

/** A primary and a read replica replicating from it by GTID, both throwaway servers on loopback. */
export interface ReplicatedMariadb {
  primary: MariadbServer;
  replica: MariadbServer;
  /** Runs SQL on the replica as root (root may write despite read_only: rows only the replica has). */
  onReplica<T extends RowDataPacket[]>(sql: string, values?: unknown[]): Promise<T>;
  /** Waits until the replica has applied everything the primary has committed so far. */
  caughtUp(timeoutSeconds?: number): Promise<void>;
  /** Replication delayed by `seconds` (MASTER_DELAY), 0 for none. */
  delay(seconds: number): Promise<void>;
  /** SIGKILL to the replica's mariadbd, resolved once it is gone. */
  killReplica(): Promise<void>;
  stop(): Promise<void>;
}

const replicationPassword = 'replication-password';

/** Starts both servers (binary log with GTIDs on the primary, read_only replica) and replication between them. */
export async function startReplicatedMariadb(): Promise<ReplicatedMariadb> {
  const [primary, replica] = await Promise.all([
    startMariadbServer({ extraArgs: ['--server-id=1', '--log-bin=primary-bin', '--binlog-format=ROW'] }),
    startMariadbServer({ extraArgs: ['--server-id=2', '--log-bin=replica-bin', '--binlog-format=ROW', '--read-only=1'] }),
  ]);
  const primaryAdmin = await mysql.createConnection(primary.url);
  const replicaAdmin = await mysql.createConnection(replica.url);
  // Killing the replica is part of the tests: its admin connection then just ends.
  replicaAdmin.on('error', () => undefined);
  const onReplica = async <T extends RowDataPacket[]>(sql: string, values?: unknown[]) => (await replicaAdmin.query<T>(sql, values))[0];
  try {
    await primaryAdmin.query(`CREATE USER 'replication'@'%' IDENTIFIED BY '${replicationPassword}'`);
    await primaryAdmin.query(`GRANT REPLICATION SLAVE ON *.* TO 'replication'@'%'`);
    await replicaAdmin.query(
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primary.port}, MASTER_USER='replication', ` +
      `MASTER_PASSWORD='${replicationPassword}', MASTER_USE_GTID=slave_pos`,
    );
    await replicaAdmin.query('START SLAVE');
  } catch (error) {
    await Promise.allSettled([primaryAdmin.end(), replicaAdmin.end(), primary.stop(), replica.stop()]);
    throw error;
  }
  const caughtUp = async (timeoutSeconds = 30) => {
    const [[{ position }]] = await primaryAdmin.query<RowDataPacket[]>('SELECT @@global.gtid_binlog_pos AS position') as [RowDataPacket[], unknown];
    const [[{ result }]] = await replicaAdmin.query<RowDataPacket[]>('SELECT MASTER_GTID_WAIT(?, ?) AS result', [position, timeoutSeconds]) as [RowDataPacket[], unknown];
    if (Number(result) !== 0) throw new Error(`the replica did not reach ${position} within ${timeoutSeconds} s`);
  };
  await caughtUp();
  return {
    primary,
    replica,
    onReplica,
    caughtUp,
    async delay(seconds) {
      await replicaAdmin.query('STOP SLAVE');
      await replicaAdmin.query(`CHANGE MASTER TO MASTER_DELAY=${Number(seconds)}`);
      await replicaAdmin.query('START SLAVE');
    },
    async killReplica() {
      process.kill(replica.pid, 'SIGKILL');
      await waitUntil('the replica to exit', () => {
        try {
          process.kill(replica.pid, 0);
          return false;
        } catch {
          return true;
        }
      });
    },
    async stop() {
      await Promise.allSettled([primaryAdmin.end(), replicaAdmin.end()]);
      await Promise.all([primary.stop(), replica.stop()]);
    },
  };
}
