import { apiUserStatements } from '../../../shared/mysql-api-user.ts';
import type { CustomResourceEvent, CustomResourceResult } from './custom-resource-event.ts';

/** The custom resource's properties, as the DatabaseApiUser construct writes them (CloudFormation passes strings). */
export interface ApiUserProperties {
  /** The master user's secret (`{"username","password"}`), read at each request and never returned. */
  readonly MasterSecretArn: string;
  readonly Host: string;
  readonly Port: string;
  /** The API's schema: the only one the user gets privileges on. */
  readonly Database: string;
  readonly User: string;
  /** `iam` (RDS IAM authentication), or the ARN of a secret whose `password` the user is created with. */
  readonly Authentication: string;
  /** @default 'mysql' */
  readonly Flavor?: string;
  /** `false` leaves out REQUIRE SSL (a local server without TLS). @default 'true' */
  readonly RequireTls?: string;
  /** Run by the master user after the user exists, e.g. RDS's binlog retention; idempotent. */
  readonly AdminStatements?: readonly string[];
}

export type SecretStage = 'AWSCURRENT' | 'AWSPENDING';

export interface AdminSession {
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

/** What the handler needs from outside: Secrets Manager and a MySQL connection (TLS is the connector's concern). */
export interface ApiUserDependencies {
  /** A version stage of a secret; undefined when the secret has no such version (no rotation under way). */
  readSecret(arn: string, stage: SecretStage): Promise<string | undefined>;
  connect(options: { host: string; port: number; user: string; password: string }): Promise<AdminSession>;
}

const ACCESS_DENIED = 1045;

/**
 * Create and Update: connect as the master user and run the user's statements (idempotent: CREATE USER IF
 * NOT EXISTS, GRANT, ALTER USER), then the admin statements. Delete: nothing; the user stays with the data
 * (a retained or snapshotted database keeps a working user, and a replaced resource never drops it).
 */
export async function applyApiUser(event: CustomResourceEvent<ApiUserProperties>, deps: ApiUserDependencies): Promise<CustomResourceResult> {
  const props = event.ResourceProperties;
  const physicalResourceId = `${props.User}@${props.Host}/${props.Database}`;
  if (event.RequestType === 'Delete') return { physicalResourceId: event.PhysicalResourceId ?? physicalResourceId };

  const flavor = props.Flavor === 'mariadb' ? 'mariadb' : 'mysql';
  const password = props.Authentication === 'iam' ? undefined : passwordOf(await requireSecret(deps, props.Authentication));
  const statements = [
    ...apiUserStatements({
      user: props.User,
      database: props.Database,
      auth: password === undefined ? { iam: true } : { password },
      flavor,
      requireTls: props.RequireTls !== 'false',
    }),
    ...(props.AdminStatements ?? []),
  ];
  const session = await connectAsMaster(props, deps);
  try {
    for (const [index, statement] of statements.entries()) {
      try {
        await session.query(statement);
      } catch (error) {
        // The statement text may hold the user's password: name it by position and first words only.
        throw new Error(`statement ${index + 1} (${statement.split(' ').slice(0, 3).join(' ')} ...) failed: ${redact(errorText(error), password)}`);
      }
    }
  } finally {
    await session.end().catch(() => undefined);
  }
  return { physicalResourceId, data: { User: props.User } };
}

/**
 * The master secret may be mid-rotation (its single-user rotation runs right after the instance is created):
 * when AWSCURRENT's password is refused, AWSPENDING's is the one the database already has.
 */
async function connectAsMaster(props: ApiUserProperties, deps: ApiUserDependencies): Promise<AdminSession> {
  const address = { host: props.Host, port: Number(props.Port) };
  const current = credentialsOf(await requireSecret(deps, props.MasterSecretArn));
  try {
    return await deps.connect({ ...address, ...current });
  } catch (error) {
    if ((error as { errno?: number }).errno !== ACCESS_DENIED) throw new Error(`connecting to ${props.Host}:${props.Port} as the master user failed: ${errorText(error)}`);
    const pending = await deps.readSecret(props.MasterSecretArn, 'AWSPENDING');
    if (!pending) throw new Error(`the master user was refused with the current secret and no rotation is pending: ${errorText(error)}`);
    return deps.connect({ ...address, ...credentialsOf(pending) });
  }
}

async function requireSecret(deps: ApiUserDependencies, arn: string): Promise<string> {
  const value = await deps.readSecret(arn, 'AWSCURRENT');
  if (value === undefined) throw new Error(`secret ${arn} has no current value`);
  return value;
}

function credentialsOf(secret: string): { user: string; password: string } {
  const parsed = parseSecret(secret);
  if (typeof parsed?.username !== 'string' || typeof parsed.password !== 'string') throw new Error('the master secret must be JSON with "username" and "password"');
  return { user: parsed.username, password: parsed.password };
}

/** `{"password"}` JSON (an RDS-style secret) or the plain password. */
function passwordOf(secret: string): string {
  const parsed = parseSecret(secret);
  return typeof parsed?.password === 'string' ? parsed.password : secret;
}

function parseSecret(secret: string): { username?: unknown; password?: unknown } | undefined {
  try {
    const parsed: unknown = JSON.parse(secret);
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function errorText(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return [code, message ?? String(error)].filter(Boolean).join(': ');
}

function redact(text: string, secret: string | undefined): string {
  return secret ? text.replaceAll(secret, '***') : text;
}
