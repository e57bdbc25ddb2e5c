import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import { secretsManagerReader } from '../credentials/aws-sources.ts';
import type { CredentialSource } from '../credentials/credential-source.ts';
import { SecretCredentials } from '../credentials/secret-credentials.ts';

/** With REDIS_SECRET_ARN, where the Redis client's password comes from; otherwise REDIS_URL's own (undefined). */
export function redisCredentials(config: Config, logger: Logger, secrets: () => SecretsManagerClient): CredentialSource | undefined {
  if (!config.REDIS_SECRET_ARN) return undefined;
  return new SecretCredentials(secretsManagerReader(secrets(), config.REDIS_SECRET_ARN), {
    description: `secret ${config.REDIS_SECRET_ARN}`,
    // ElastiCache's RBAC user, or `default` with a bare AUTH token.
    user: decodeURIComponent(new URL(config.REDIS_URL).username),
    onBackgroundError: (error) => logger.warn({ err: error }, 'Redis secret could not be read; the last one stays in use'),
  });
}
