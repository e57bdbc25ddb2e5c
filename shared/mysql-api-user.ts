// Plain data, no imports: the API's tests and, later, the CDK's user-creating custom resource run the
// same statements. constructs/ must not import app/, and app/ must not import aws-cdk-lib.

/** What the API does on its schema: read and write the ledger, and migrate it at start (under GET_LOCK). */
export const apiSchemaPrivileges = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'ALTER', 'INDEX', 'REFERENCES'] as const;

/**
 * What the replica monitor needs to run SHOW REPLICA STATUS on a read replica (a global privilege that
 * reads replication state only): MySQL's REPLICATION CLIENT, MariaDB's (>= 10.5) SLAVE MONITOR.
 */
export const replicaMonitorPrivilege = { mysql: 'REPLICATION CLIENT', mariadb: 'SLAVE MONITOR' } as const;

export interface ApiUserOptions {
  /** e.g. `ticketkit_api` */
  readonly user: string;
  /** The schema the API owns, e.g. `ticketkit`. */
  readonly database: string;
  /** `{ iam: true }`: RDS IAM authentication (MySQL on RDS); else a password the rotation will change. */
  readonly auth: { readonly iam: true } | { readonly password: string };
  readonly flavor: 'mysql' | 'mariadb';
  /** @default '%' */
  readonly host?: string;
  /** Refuse connections without TLS (`REQUIRE SSL`); RDS IAM connections need TLS anyway. @default true */
  readonly requireTls?: boolean;
}

/**
 * The statements that create the API's least-privilege user, run once by an administrator (the master
 * user). Idempotent; they replicate to read replicas with every other change.
 */
export function apiUserStatements(options: ApiUserOptions): string[] {
  const name = (value: string, what: string) => {
    if (!/^[A-Za-z0-9_]{1,32}$/.test(value)) throw new Error(`apiUserStatements: ${what} "${value}" must be 1-32 letters, digits or _`);
    return value;
  };
  const account = `'${name(options.user, 'user')}'@'${options.host ?? '%'}'`;
  const schema = `\`${name(options.database, 'database')}\``;
  const identified = 'iam' in options.auth
    ? "IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'"
    : `IDENTIFIED BY '${options.auth.password.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  return [
    `CREATE USER IF NOT EXISTS ${account} ${identified}`,
    `GRANT ${apiSchemaPrivileges.join(', ')} ON ${schema}.* TO ${account}`,
    `GRANT ${replicaMonitorPrivilege[options.flavor]} ON *.* TO ${account}`,
    ...(options.requireTls ?? true ? [`ALTER USER ${account} REQUIRE SSL`] : []),
  ];
}
