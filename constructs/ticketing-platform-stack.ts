import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ApiArtifact } from './api-artifact.ts';
import { TicketingPlatform, type TicketingPlatformProps } from './ticketing-platform.ts';
import type { PlatformEnvironment } from './platform-environment.ts';

/** One environment's stack: the {@link TicketingPlatform} and nothing else. */
export class TicketingPlatformStack extends Stack {
  public readonly platform: TicketingPlatform;

  constructor(scope: Construct, id: string, props: StackProps & TicketingPlatformProps) {
    super(scope, id, props);
    this.platform = new TicketingPlatform(this, 'Platform', props);
  }
}

/** What a platform stack deploys besides infrastructure: built by the repository, not by the constructs. */
export interface PlatformBuilds {
  /** The API artifact (`npm run build:api` writes dist/api). */
  readonly apiArtifact: ApiArtifact;
  /** The built buyer page (`npm run build:web` writes dist/web). @default - no page is deployed */
  readonly siteDirectory?: string;
}

/** The stack for a committed environment, as `bin/cdk.ts` and the tests build it. */
export function createPlatformStack(scope: Construct, environment: PlatformEnvironment, builds: PlatformBuilds): TicketingPlatformStack {
  return new TicketingPlatformStack(scope, `Ticketkit-${environment.name}`, {
    env: { account: environment.account, region: environment.region },
    description: `ticketkit ${environment.name}: three-tier ticket sales platform`,
    terminationProtection: environment.production,
    apiArtifact: builds.apiArtifact,
    siteDirectory: builds.siteDirectory,
    production: environment.production,
    maxAzs: environment.maxAzs,
    natGateways: environment.natGateways,
    domainName: environment.domainName,
    originDomainName: environment.originDomainName,
    certificateArn: environment.certificateArn,
    instanceType: environment.instanceType,
    minCapacity: environment.minCapacity,
    maxCapacity: environment.maxCapacity,
    prewarmCapacity: environment.prewarmCapacity,
    onSaleWindows: environment.onSaleWindows,
    databaseInstanceType: environment.dbInstanceType,
    readReplicas: environment.readReplicas,
    rdsProxy: environment.rdsProxy,
    cacheNodeType: environment.redisNodeType,
    allowedCountries: environment.allowedCountries,
  });
}
