import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Connection, Pool, PoolOptions } from 'mysql2/promise';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import { rdsTokenSigner, secretsManagerReader } from '../credentials/aws-sources.ts';
import { fixedCredentials, type CredentialSource } from '../credentials/credential-source.ts';
import { RdsIamCredentials } from '../credentials/rds-iam-credentials.ts';
import { SecretCredentials } from '../credentials/secret-credentials.ts';
import { maskedUrl } from '../masked-url.ts';
import { connectionOptions } from './connection-options.ts';
import { connectWithCredentials, createCredentialedPool } from './credentialed-pool.ts';
import { ReadRouter } from './replica/read-router.ts';
import { ReplicaMonitor } from './replica/replica-monitor.ts';

/** Per instance: 20 connections to the primary (and as many to a read replica). */
export const poolOptions = { connectionLimit: 20, maxIdle: 10, idleTimeout: 60_000, queueLimit: 500 } as const;

export interface Database {
  /** The primary: every write, and every read that must see the latest writes. */
  db: Pool;
  /** Reads that tolerate lag, on the read replica when there is a usable one. */
  reads: ReadRouter;
  /** Where the primary's credentials come from. */
  credentials: CredentialSource;
  /** One connection to the primary outside the pool (schema migrations). */
  connectPrimary(options?: { multipleStatements?: boolean }): Promise<Connection>;
  close(): Promise<void>;
}

/**
 * The primary pool and, with DATABASE_READ_URL, the replica pool and its monitor, each authenticating
 * as the configuration says: the user and password in the URL, a Secrets Manager secret read at each new
 * connection (DATABASE_SECRET_ARN), or an RDS IAM token (DATABASE_IAM_AUTH). Nothing is awaited here.
 */
export function openDatabase(config: Config, logger: Logger, secrets: () => SecretsManagerClient): Database {
  // The replica shares the primary's users (RDS replicates them), so one secret read serves both pools.
  const secret = config.DATABASE_SECRET_ARN
    ? new SecretCredentials(secretsManagerReader(secrets(), config.DATABASE_SECRET_ARN), {
      description: `secret ${config.DATABASE_SECRET_ARN}`,
      user: connectionOptions(config.DATABASE_URL).user ?? 'root',
      onBackgroundError: (error) => logger.warn({ err: error }, 'database secret could not be read; the last one stays in use'),
    })
    : undefined;
  const credentialsFor = (url: string): CredentialSource => {
    const options = connectionOptions(url);
    const user = options.user ?? 'root';
    if (secret) return secret;
    if (config.DATABASE_IAM_AUTH) {
      const signer = rdsTokenSigner({ hostname: options.host!, port: options.port!, user, region: config.AWS_REGION });
      return new RdsIamCredentials(signer, user, {
        description: `RDS IAM token for ${user}@${options.host}`,
        onBackgroundError: (error) => logger.warn({ err: error }, 'RDS IAM token could not be signed; the current one stays in use'),
      });
    }
    return fixedCredentials({ user, password: options.password ?? '' }, maskedUrl(url));
  };
  const optionsFor = (url: string): PoolOptions => {
    const { user: _user, password: _password, ...options } = connectionOptions(url);
    // IAM tokens go as mysql_clear_password, which mysql2 sends only when allowed (TLS is required by config).
    return config.DATABASE_IAM_AUTH ? { ...options, enableCleartextPlugin: true } : options;
  };

  const credentials = credentialsFor(config.DATABASE_URL);
  const db = createCredentialedPool({ ...optionsFor(config.DATABASE_URL), ...poolOptions }, credentials);
  let replica;
  if (config.DATABASE_READ_URL) {
    const pool = createCredentialedPool({ ...optionsFor(config.DATABASE_READ_URL), ...poolOptions }, credentialsFor(config.DATABASE_READ_URL));
    const monitor = new ReplicaMonitor(pool, {
      maxLagSeconds: config.DATABASE_READ_MAX_LAG_SECONDS,
      onChange: (next, previous) => {
        const fields = { replica: maskedUrl(config.DATABASE_READ_URL!), from: previous.status, ...next };
        if (next.status === 'healthy') logger.info(fields, 'read replica in use');
        else logger.warn(fields, 'read replica not in use; reading the primary');
      },
    });
    replica = { pool, monitor, waitMs: config.DATABASE_READ_WAIT_MS };
  }
  const reads = new ReadRouter(db, replica, logger);
  reads.start();
  return {
    db,
    reads,
    credentials,
    connectPrimary: (options = {}) => connectWithCredentials({ ...optionsFor(config.DATABASE_URL), ...options }, credentials),
    async close() {
      await Promise.allSettled([db.end(), reads.close()]);
    },
  };
}
