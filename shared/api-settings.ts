/**
 * The API's tunable integer settings, each with its default and allowed range, by the name of the
 * environment variable the API reads. One home for both readers: the API's config schema
 * (app/config.ts) and the constructs that write the variables onto the instances
 * (constructs/api-environment.ts), so a default changed here reaches AWS and a value the API would
 * refuse at start fails `cdk synth` instead. Plain data with no imports: app/ (which never imports
 * aws-cdk-lib) and constructs/ (which never imports app/) may both import shared/.
 */
export interface IntegerSetting {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** What the number counts, for messages and docs. */
  readonly unit: string;
}

export const API_SETTINGS = {
  PORT: { default: 3000, min: 0, max: 65_535, unit: 'TCP port' },
  HOLD_TTL_SECONDS: { default: 600, min: 1, max: 86_400, unit: 'seconds a seat hold lasts' },
  MAX_SEATS_PER_USER: { default: 8, min: 1, max: 10_000, unit: 'seats one buyer may hold or buy per event' },
  /** log2 of scrypt's N: each step doubles the time and memory of a hash (cost 17 takes 128 MiB). */
  PASSWORD_HASH_COST: { default: 17, min: 10, max: 20, unit: 'log2 of scrypt N' },
  HOLD_RATE_LIMIT_PER_USER: { default: 60, min: 0, max: 1_000_000, unit: 'hold requests per minute per buyer (0 disables)' },
  HOLD_RATE_LIMIT_PER_IP: { default: 600, min: 0, max: 1_000_000, unit: 'hold requests per minute per client address (0 disables)' },
  LOGIN_RATE_LIMIT_PER_IP: { default: 20, min: 0, max: 1_000_000, unit: 'failed logins per minute per client address (0 disables)' },
  REGISTER_RATE_LIMIT_PER_IP: { default: 10, min: 0, max: 1_000_000, unit: 'registrations per hour per client address (0 disables)' },
} as const satisfies Record<string, IntegerSetting>;

export type ApiSettingName = keyof typeof API_SETTINGS;
