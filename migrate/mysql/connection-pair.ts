import type mysql from 'mysql2/promise';
import { connect } from './connect.ts';
import type { MysqlEndpoint } from './connection-url.ts';

/**
 * The sessions of a run between two servers: one admin session on each side (catalogue reads, DDL,
 * bookkeeping) and a way to open more (snapshot readers, chunk writers, index builders, a binlog
 * reader). Opened by a command (the composition root) and passed into the operation, so a test can
 * hand an operation or a single phase connections of its own.
 */
export interface ConnectionPair {
  readonly source: mysql.Connection;
  readonly target: mysql.Connection;
  readonly openSource: (database?: string) => Promise<mysql.Connection>;
  readonly openTarget: (database?: string) => Promise<mysql.Connection>;
  /** Ends both admin sessions (sessions opened with openSource/openTarget belong to whoever opened them). */
  close(): Promise<void>;
}

/** Connects to both servers; a refused or unreachable server fails here, before anything is read. */
export async function openConnectionPair(source: MysqlEndpoint, target: MysqlEndpoint): Promise<ConnectionPair> {
  const sourceAdmin = await connect(source);
  let targetAdmin: mysql.Connection;
  try {
    targetAdmin = await connect(target);
  } catch (error) {
    await sourceAdmin.end().catch(() => undefined);
    throw error;
  }
  return {
    source: sourceAdmin,
    target: targetAdmin,
    openSource: (database) => connect(source, database ? { database } : {}),
    openTarget: (database) => connect(target, database ? { database } : {}),
    close: async () => {
      await Promise.all([sourceAdmin.end().catch(() => undefined), targetAdmin.end().catch(() => undefined)]);
    },
  };
}
