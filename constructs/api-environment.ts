export interface ApiEnvironmentOptions {
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
}

/**
 * The API's plain (non-secret) variables, by the names its config reads. DATABASE_URL, REDIS_URL,
 * SESSION_KEYS and ADMIN_PASSWORD come from secrets at start; S3_ENDPOINT stays unset on AWS.
 */
export function apiEnvironment(options: ApiEnvironmentOptions): Record<string, string> {
  const trustedProxies = options.trustedProxies ?? 1;
  return {
    NODE_ENV: 'production',
    PORT: String(options.port),
    TRUST_PROXY: trustedProxies === 1 ? 'true' : String(trustedProxies),
    AWS_REGION: options.region,
    S3_BUCKET: options.bucketName,
    POSTER_BASE_URL: options.publicUrl,
    ALLOWED_ORIGINS: options.publicUrl,
    ADMIN_EMAIL: options.adminEmail,
    HOLD_TTL_SECONDS: '600',
    MAX_SEATS_PER_USER: '8',
    PASSWORD_HASH_COST: '17',
    HOLD_RATE_LIMIT_PER_USER: '60',
    HOLD_RATE_LIMIT_PER_IP: '600',
    LOGIN_RATE_LIMIT_PER_IP: '20',
    LOG_LEVEL: 'info',
  };
}
