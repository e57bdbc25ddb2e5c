import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Signer } from '@aws-sdk/rds-signer';
import type { SecretReader } from './secret-credentials.ts';
import type { TokenSigner } from './rds-iam-credentials.ts';

export interface AwsSettings {
  region: string;
  /** A local Secrets Manager (tests); unset on AWS. */
  secretsManagerEndpoint?: string;
}

export function createSecretsManagerClient(settings: AwsSettings): SecretsManagerClient {
  if (!settings.secretsManagerEndpoint) return new SecretsManagerClient({ region: settings.region });
  return new SecretsManagerClient({
    region: settings.region,
    endpoint: settings.secretsManagerEndpoint,
    // A local endpoint accepts any credentials; real ones from the environment win when present.
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
  });
}

/** GetSecretValue of one version stage; a missing AWSPENDING (no rotation under way) is `undefined`. */
export function secretsManagerReader(client: SecretsManagerClient, secretId: string): SecretReader {
  return async (stage) => {
    try {
      const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }));
      return SecretString;
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException' && stage === 'AWSPENDING') return undefined;
      throw error;
    }
  };
}

/** Signs RDS IAM tokens for one endpoint with the instance's role (the default credential chain). */
export function rdsTokenSigner(endpoint: { hostname: string; port: number; user: string; region: string }): TokenSigner {
  const signer = new Signer({ hostname: endpoint.hostname, port: endpoint.port, username: endpoint.user, region: endpoint.region });
  return () => signer.getAuthToken();
}
