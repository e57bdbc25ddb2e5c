import { z } from 'zod';
import { API_SETTINGS, type ApiSettingName } from '../shared/api-settings.ts';

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** A tunable integer: its range and default live in shared/api-settings.ts, which the constructs read too. */
const setting = (name: ApiSettingName) => integer(API_SETTINGS[name].min, API_SETTINGS[name].max).default(API_SETTINGS[name].default);
const list = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
const secretArn = z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/, 'must be a Secrets Manager secret ARN');
const asksForTls = (databaseUrl: string | undefined) => !databaseUrl || new URL(databaseUrl).searchParams.has('ssl');

/** Every setting of an API instance, read from the environment once at start (see bin/api.ts). */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: setting('PORT'),
    DATABASE_URL: url(['mysql:']).default('mysql://root@127.0.0.1:3306/ticketkit'),
    /**
     * RDS IAM authentication: the password of DATABASE_URL's user is a token signed with the instance role
     * (the user is `IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'`); DATABASE_URL must ask for TLS.
     */
    DATABASE_IAM_AUTH: flag.default(false),
    /** The user and password come from this secret (`{"username","password"}`), read at new connections. */
    DATABASE_SECRET_ARN: secretArn.optional(),
    /** A read replica for reads that tolerate lag (the catalogue, order history); same credentials as the primary. */
    DATABASE_READ_URL: url(['mysql:']).optional(),
    /** A replica further behind than this (Seconds_Behind_Master) is not read; the primary is. */
    DATABASE_READ_MAX_LAG_SECONDS: integer(0, 86_400).default(5),
    /** How long a read waits for the replica to apply the reader's own last write before it reads the primary. */
    DATABASE_READ_WAIT_MS: integer(0, 10_000).default(200),
    REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    /**
     * `single`: REDIS_URL is one Redis (or a replication group's primary endpoint). `cluster`: a Redis Cluster
     * (ElastiCache cluster mode, ElastiCache Serverless) and REDIS_URL one node of it (the configuration endpoint).
     */
    REDIS_MODE: z.enum(['single', 'cluster']).default('single'),
    /** The Redis password (a plain string, or `{"username","password"}`) comes from this secret, read at each (re)connection. */
    REDIS_SECRET_ARN: secretArn.optional(),
    /** A local Secrets Manager endpoint (tests); unset on AWS. */
    SECRETS_MANAGER_ENDPOINT: url(['http:', 'https:']).optional(),
    /** Prefix of every Redis key, so several deployments or tests can share one Redis. */
    REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,32}$/).default('tk:'),
    SESSION_KEYS: list.optional(),
    /**
     * How long an instance trusts a session it read from Redis on the hold path (0: never, every hold reads Redis).
     * A session ended elsewhere (logout, a new login) is refused by every instance within this bound.
     */
    SESSION_CACHE_MS: integer(0, 60_000).default(5_000),
    /**
     * How many proxies in front of the instance append to X-Forwarded-For: `true` = 1 (an ALB),
     * `2` for CloudFront + ALB (then the ALB must accept only CloudFront's origin-facing addresses).
     */
    TRUST_PROXY: z
      .union([flag, z.enum(['2', '3']).transform(Number)])
      .transform((value) => (value === true ? 1 : value === false ? 0 : value))
      .default(0),
    HOLD_TTL_SECONDS: setting('HOLD_TTL_SECONDS'),
    MAX_SEATS_PER_USER: setting('MAX_SEATS_PER_USER'),
    S3_BUCKET: z.string().min(3).default('ticketkit-posters'),
    S3_ENDPOINT: url(['http:', 'https:']).optional(),
    AWS_REGION: z.string().min(1).default('us-east-1'),
    POSTER_BASE_URL: url(['http:', 'https:']).optional(),
    ADMIN_EMAIL: z.email().optional(),
    ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    /** log2 of scrypt's N. */
    PASSWORD_HASH_COST: setting('PASSWORD_HASH_COST'),
    HOLD_RATE_LIMIT_PER_USER: setting('HOLD_RATE_LIMIT_PER_USER'),
    HOLD_RATE_LIMIT_PER_IP: setting('HOLD_RATE_LIMIT_PER_IP'),
    /** Failed logins per minute per client IP (0 disables); successful and malformed requests are not counted. */
    LOGIN_RATE_LIMIT_PER_IP: setting('LOGIN_RATE_LIMIT_PER_IP'),
    /** Registrations per hour per client IP (0 disables); requests refused as invalid (400) are not counted. */
    REGISTER_RATE_LIMIT_PER_IP: setting('REGISTER_RATE_LIMIT_PER_IP'),
    /**
     * Consecutive failed logins for one account (from any address) before it is throttled (0 disables):
     * then a wait of 30 s that doubles per further failure, up to LOGIN_THROTTLE_MAX_SECONDS.
     * A browser that logged in to the account before counts apart (device cookie).
     */
    LOGIN_THROTTLE_FAILURES: integer(0, 1_000).default(10),
    LOGIN_THROTTLE_MAX_SECONDS: integer(1, 86_400).default(900),
    /** Password hashes computed at once per instance (each takes 128 MiB at cost 17). */
    PASSWORD_HASH_CONCURRENCY: integer(1, 64).default(2),
    /** Requests that may wait for a hash slot (at most 5 s each); beyond it: 503 with Retry-After. */
    PASSWORD_HASH_QUEUE: integer(0, 100_000).default(16),
    ALLOWED_ORIGINS: list.default([]),
    /** CloudWatch namespace of the business metrics the API writes to its log (EMF); one per environment. */
    METRICS_NAMESPACE: z.string().regex(/^[A-Za-z0-9._/#:-]{1,255}$/).default('Ticketkit'),
    /** How often counted metrics are written (and at shutdown). */
    METRICS_FLUSH_SECONDS: integer(1, 60).default(60),
    /**
     * Keys (32+ characters, comma-separated) that sign waiting-room places and admissions: the first signs, any
     * verifies. Unset: derived from SESSION_KEYS. The publisher writes them to the KeyValueStore for the edge.
     */
    WAITING_ROOM_TOKEN_KEYS: list.optional(),
    /** The CloudFront KeyValueStore the edge reads rooms from (unset: nothing is published, as locally). */
    WAITING_ROOM_KVS_ARN: z.string().regex(/^arn:aws:cloudfront::\d{12}:key-value-store\/[A-Za-z0-9-]+$/).optional(),
    /** The KeyValueStore data plane; derived from the ARN on AWS (`https://<account>.cloudfront-kvs.global.api.aws`). */
    WAITING_ROOM_KVS_ENDPOINT: url(['http:', 'https:']).optional(),
    /** How often the publisher advances the active rooms and writes their records to the KeyValueStore. */
    WAITING_ROOM_PUBLISH_SECONDS: integer(1, 60).default(1),
    /** AWS WAF's CAPTCHA JavaScript API (`<integration URL>/jsapi.js`) and its API key: the buyer page solves a puzzle before joining a queue. */
    WAF_CAPTCHA_SCRIPT_URL: url(['https:', 'http:']).optional(),
    WAF_CAPTCHA_API_KEY: z.string().min(1).max(4096).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && !config.SESSION_KEYS?.length) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_KEYS'], message: 'is required when NODE_ENV=production' });
    }
    if (config.SESSION_KEYS?.some((key) => key.length < 32)) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_KEYS'], message: 'each key must be at least 32 characters' });
    }
    if (config.DATABASE_IAM_AUTH && config.DATABASE_SECRET_ARN) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_IAM_AUTH'], message: 'and DATABASE_SECRET_ARN are two ways to authenticate; set one' });
    }
    if (config.DATABASE_IAM_AUTH && !(asksForTls(config.DATABASE_URL) && asksForTls(config.DATABASE_READ_URL))) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_IAM_AUTH'], message: 'sends tokens in clear text: add ?ssl=rds to DATABASE_URL and DATABASE_READ_URL' });
    }
    if (config.REDIS_MODE === 'cluster' && !['', '/', '/0'].includes(new URL(config.REDIS_URL).pathname)) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'names a database, but a Redis Cluster has database 0 only: remove the path or set REDIS_MODE=single' });
    }
    if (config.WAITING_ROOM_TOKEN_KEYS?.some((key) => key.length < 32)) {
      ctx.addIssue({ code: 'custom', path: ['WAITING_ROOM_TOKEN_KEYS'], message: 'each key must be at least 32 characters' });
    }
    if (Boolean(config.WAF_CAPTCHA_SCRIPT_URL) !== Boolean(config.WAF_CAPTCHA_API_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['WAF_CAPTCHA_API_KEY'], message: 'WAF_CAPTCHA_SCRIPT_URL and WAF_CAPTCHA_API_KEY are set together' });
    }
    if (Boolean(config.ADMIN_EMAIL) !== Boolean(config.ADMIN_PASSWORD)) {
      ctx.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD'], message: 'ADMIN_EMAIL and ADMIN_PASSWORD are set together' });
    }
  });

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment; a bad value throws one line naming the variable. Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = configSchema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? 'environment');
  throw new ConfigError(`invalid configuration: ${name} ${issue.message}`);
}
