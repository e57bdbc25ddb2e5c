import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Stage = 'AWSCURRENT' | 'AWSPENDING';

/**
 * A local stand-in for AWS Secrets Manager's GetSecretValue (the AWS JSON 1.1 protocol the SDK speaks),
 * as s3rver stands in for S3: the API reads secrets through the real SDK client, and the test changes
 * them the way a rotation does (a pending version, then the pending version made current).
 */
export class LocalSecretsManager {
  private readonly secrets = new Map<string, Partial<Record<Stage, { value: string; versionId: string }>>>();
  /** GetSecretValue calls per secret and stage. */
  readonly reads = new Map<string, Record<Stage, number>>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<LocalSecretsManager> {
    const server = createServer();
    const manager = new LocalSecretsManager(server);
    server.on('request', (req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => {
        const answer = (status: number, json: unknown) => {
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(json));
        };
        if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
          return answer(400, { __type: 'UnknownOperationException', message: String(req.headers['x-amz-target']) });
        }
        const { SecretId, VersionStage = 'AWSCURRENT' } = JSON.parse(body) as { SecretId: string; VersionStage?: Stage };
        const counts = manager.reads.get(SecretId) ?? { AWSCURRENT: 0, AWSPENDING: 0 };
        counts[VersionStage]++;
        manager.reads.set(SecretId, counts);
        const version = manager.secrets.get(SecretId)?.[VersionStage];
        if (!version) {
          return answer(400, { __type: 'ResourceNotFoundException', message: `Secrets Manager can't find the specified secret value for staging label: ${VersionStage}` });
        }
        answer(200, {
          ARN: SecretId,
          Name: SecretId.split(':').pop(),
          VersionId: version.versionId,
          SecretString: version.value,
          VersionStages: [VersionStage],
          CreatedDate: Date.now() / 1000,
        });
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return manager;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A new secret holding `value` as AWSCURRENT; returns its ARN. */
  create(name: string, value: string): string {
    const arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}`;
    this.secrets.set(arn, { AWSCURRENT: { value, versionId: randomUUID() } });
    return arn;
  }

  /** Rotation's createSecret step: the new value as AWSPENDING. */
  stagePending(arn: string, value: string): void {
    this.secrets.get(arn)!.AWSPENDING = { value, versionId: randomUUID() };
  }

  /** Rotation's finishSecret step: AWSPENDING becomes AWSCURRENT. */
  promotePending(arn: string): void {
    const stages = this.secrets.get(arn)!;
    stages.AWSCURRENT = stages.AWSPENDING!;
    delete stages.AWSPENDING;
  }

  readsOf(arn: string): Record<Stage, number> {
    return { ...(this.reads.get(arn) ?? { AWSCURRENT: 0, AWSPENDING: 0 }) };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
