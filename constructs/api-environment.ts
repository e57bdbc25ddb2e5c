import type { Duration } from 'aws-cdk-lib';
import { API_SETTINGS, type ApiSettingName } from '../shared/api-settings.ts';

/**
 * The API settings a platform team tunes per deployment. Unset ones take the API's own default, read
 * from the same table as the API's config schema (shared/api-settings.ts), so the two cannot drift.
 */
export interface ApiSettingsProps {
  /** How long a seat hold lasts before the seats return to sale (whole seconds). @default 10 minutes (HOLD_TTL_SECONDS 600) */
  readonly holdTtl?: Duration;
  /** Seats one buyer may hold or buy per event. @default 8 (MAX_SEATS_PER_USER) */
  readonly maxSeatsPerUser?: number;
  /** log2 of scrypt's N for password hashes (10-20); each step doubles CPU time and memory per login. @default 17 (PASSWORD_HASH_COST) */
  readonly passwordHashCost?: number;
  /** Hold requests per minute per buyer; 0 disables. @default 60 (HOLD_RATE_LIMIT_PER_USER) */
  readonly holdRateLimitPerUser?: number;
  /** Hold requests per minute per client address; 0 disables. @default 600 (HOLD_RATE_LIMIT_PER_IP) */
  readonly holdRateLimitPerIp?: number;
  /** Failed logins per minute per client address; 0 disables. @default 20 (LOGIN_RATE_LIMIT_PER_IP) */
  readonly loginRateLimitPerIp?: number;
  /** Registrations per hour per client address; 0 disables. @default 10 (REGISTER_RATE_LIMIT_PER_IP) */
  readonly registerRateLimitPerIp?: number;
}

export interface ApiEnvironmentOptions extends ApiSettingsProps {
  readonly port: number;
  readonly region: string;
  readonly bucketName: string;
  /** `https://` origin of the site: POSTER_BASE_URL and the one allowed CORS origin. */
  readonly publicUrl: string;
  readonly adminEmail: string;
  /**
   * Proxies that append to X-Forwarded-For before the app (the API's TRUST_PROXY): 1 for a load balancer
   * alone, 2 for CloudFront + load balancer, where the viewer is the address CloudFront appended (second
   * to last). 2 is only safe when the load balancer admits CloudFront alone; otherwise a client writes
   * its own X-Forwarded-For and picks the address its rate limits count.
   * @default 1
   */
  readonly trustedProxies?: 1 | 2;
  /**
   * How the API talks to Redis (its REDIS_MODE): `cluster` for a cache in cluster mode, whose
   * configuration endpoint is then REDIS_URL's host.
   * @default 'single'
   */
  readonly redisMode?: 'single' | 'cluster';
  /** The primary's `mysql://user@host:port/db?ssl=...` URL, without a password (see `mysqlUrl`). @default unset: the API's local default */
  readonly databaseUrl?: string;
  /** A read replica's URL, same user, for reads that tolerate lag. @default none */
  readonly databaseReadUrl?: string;
  /** Sign in to MySQL with RDS IAM tokens from the instance role (the URLs must ask for TLS). @default false */
  readonly databaseIamAuth?: boolean;
  /** `rediss://user@host:port/0`, without a password. @default unset: the API's local default */
  readonly redisUrl?: string;
  /** The secret holding the Redis user's password (`{"username","password"}`), read at each new connection. @default none */
  readonly redisSecretArn?: string;
  /** REDIS_KEY_PREFIX: the keys the Redis user's ACL allows. @default unset: the API's default 'tk:' */
  readonly redisKeyPrefix?: string;
}

/** A MySQL URL the API reads (DATABASE_URL, DATABASE_READ_URL): a user and no password, TLS verified (`rds`: the RDS CA; `true`: the system CAs, as RDS Proxy needs). */
export function mysqlUrl(parts: { user: string; host: string; port: number | string; database: string; ssl: 'rds' | 'true' }): string {
  return `mysql://${encodeURIComponent(parts.user)}@${parts.host}:${parts.port}/${encodeURIComponent(parts.database)}?ssl=${parts.ssl}`;
}

type TunedSetting = Exclude<ApiSettingName, 'PORT'>;

/**
 * The tuned settings by variable name: the API's defaults, then the caller's props. A value the API
 * would refuse at start fails here, at synth, with every bad prop named at once.
 */
export function apiSettings(props: ApiSettingsProps): Record<TunedSetting, number> {
  const chosen: Record<TunedSetting, { prop: keyof ApiSettingsProps; value: number | undefined }> = {
    HOLD_TTL_SECONDS: { prop: 'holdTtl', value: props.holdTtl?.toSeconds({ integral: false }) },
    MAX_SEATS_PER_USER: { prop: 'maxSeatsPerUser', value: props.maxSeatsPerUser },
    PASSWORD_HASH_COST: { prop: 'passwordHashCost', value: props.passwordHashCost },
    HOLD_RATE_LIMIT_PER_USER: { prop: 'holdRateLimitPerUser', value: props.holdRateLimitPerUser },
    HOLD_RATE_LIMIT_PER_IP: { prop: 'holdRateLimitPerIp', value: props.holdRateLimitPerIp },
    LOGIN_RATE_LIMIT_PER_IP: { prop: 'loginRateLimitPerIp', value: props.loginRateLimitPerIp },
    REGISTER_RATE_LIMIT_PER_IP: { prop: 'registerRateLimitPerIp', value: props.registerRateLimitPerIp },
  };
  const problems: string[] = [];
  const settings = {} as Record<TunedSetting, number>;
  for (const [name, { prop, value }] of Object.entries(chosen) as [TunedSetting, (typeof chosen)[TunedSetting]][]) {
    const { default: fallback, min, max, unit } = API_SETTINGS[name];
    const resolved = value ?? fallback;
    if (!Number.isInteger(resolved) || resolved < min || resolved > max) {
      problems.push(`${prop} ${resolved} is invalid; use a whole number of ${unit} between ${min} and ${max}`);
    }
    settings[name] = resolved;
  }
  if (problems.length > 0) throw new Error(`API settings: ${problems.join('; ')}.`);
  return settings;
}

/**
 * The API's plain (non-secret) variables, by the names its config reads: the database URLs carry a user and
 * no password (RDS IAM tokens are signed on the instance), REDIS_URL none (the API reads REDIS_SECRET_ARN).
 * SESSION_KEYS and ADMIN_PASSWORD come from secrets at start; S3_ENDPOINT stays unset on AWS.
 */
export function apiEnvironment(options: ApiEnvironmentOptions): Record<string, string> {
  const trustedProxies = options.trustedProxies ?? 1;
  const tuned = Object.entries(apiSettings(options)).map(([name, value]) => [name, String(value)]);
  return {
    NODE_ENV: 'production',
    PORT: String(options.port),
    TRUST_PROXY: trustedProxies === 1 ? 'true' : String(trustedProxies),
    AWS_REGION: options.region,
    S3_BUCKET: options.bucketName,
    POSTER_BASE_URL: options.publicUrl,
    ALLOWED_ORIGINS: options.publicUrl,
    ADMIN_EMAIL: options.adminEmail,
    REDIS_MODE: options.redisMode ?? 'single',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.databaseReadUrl ? { DATABASE_READ_URL: options.databaseReadUrl } : {}),
    ...(options.databaseIamAuth ? { DATABASE_IAM_AUTH: 'true' } : {}),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...(options.redisSecretArn ? { REDIS_SECRET_ARN: options.redisSecretArn } : {}),
    ...(options.redisKeyPrefix ? { REDIS_KEY_PREFIX: options.redisKeyPrefix } : {}),
    ...Object.fromEntries(tuned),
    LOG_LEVEL: 'info',
  };
}
