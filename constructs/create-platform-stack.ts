import type { Construct } from 'constructs';
import type { ApiArtifact } from './api-artifact.ts';
import { applyTags, costAllocationTags } from './cost-allocation-tags.ts';
import { EdgeStack } from './edge-stack.ts';
import type { PlatformEnvironment } from './platform-environment.ts';
import { TicketingPlatformStack } from './ticketing-platform-stack.ts';

// This repository's composition, not part of @ticketkit/constructs: it maps an environment of cdk.json
// (read with zod by platform-environment.ts) onto the stacks, with this checkout's builds.

/** What a platform stack deploys besides infrastructure: built by the repository, not by the constructs. */
export interface PlatformBuilds {
  /** The API artifact (`npm run build:api` writes dist/api). */
  readonly apiArtifact: ApiArtifact;
  /** The built buyer page (`npm run build:web` writes dist/web). @default - no page is deployed */
  readonly siteDirectory?: string;
}

/**
 * The stack for a committed environment, as `bin/cdk.ts` and the tests build it. Outside us-east-1 an
 * {@link EdgeStack} there holds CloudFront's web ACL and (with a zone) the site certificate, read back by
 * cross-region references; `cdk deploy --all` deploys it first.
 */
export function createPlatformStack(scope: Construct, environment: PlatformEnvironment, builds: PlatformBuilds): TicketingPlatformStack {
  const hostedZoneAttributes = environment.hostedZoneId && environment.zoneName ? { hostedZoneId: environment.hostedZoneId, zoneName: environment.zoneName } : undefined;
  const edge =
    environment.region === 'us-east-1'
      ? undefined
      : new EdgeStack(scope, `Ticketkit-${environment.name}-edge`, {
          env: { account: environment.account, region: 'us-east-1' },
          description: `ticketkit ${environment.name}: what CloudFront takes only from us-east-1 (web ACL, site certificate)`,
          terminationProtection: environment.production,
          production: environment.production,
          domainName: hostedZoneAttributes && !environment.certificateArn ? environment.domainName : undefined,
          hostedZoneAttributes,
          waitingRoomCaptcha: Boolean(environment.wafCaptchaScriptUrl),
          tags: costAllocationTags(environment.production, { environment: environment.name }),
        });
  if (edge) applyTags(edge, edge.tags.tagValues());
  return new TicketingPlatformStack(scope, `Ticketkit-${environment.name}`, {
    env: { account: environment.account, region: environment.region },
    description: `ticketkit ${environment.name}: three-tier ticket sales platform`,
    terminationProtection: environment.production,
    crossRegionReferences: edge !== undefined,
    apiArtifact: builds.apiArtifact,
    siteDirectory: builds.siteDirectory,
    production: environment.production,
    tags: { environment: environment.name },
    maxAzs: environment.maxAzs,
    natGateways: environment.natGateways,
    domainName: environment.domainName,
    originDomainName: environment.originDomainName,
    certificateArn: environment.certificateArn ?? edge?.certificate?.certificateArn,
    hostedZoneAttributes,
    cloudFrontWebAclArn: edge?.webAcl.arn,
    instanceType: environment.instanceType,
    minCapacity: environment.minCapacity,
    maxCapacity: environment.maxCapacity,
    prewarmCapacity: environment.prewarmCapacity,
    onSaleWindows: environment.onSaleWindows,
    databaseInstanceType: environment.dbInstanceType,
    readReplicas: environment.readReplicas,
    rdsProxy: environment.rdsProxy,
    cacheDeployment: environment.cacheDeployment,
    cacheClusterMode: environment.cacheClusterMode,
    cacheShards: environment.cacheShards,
    cacheNodeType: environment.redisNodeType,
    allowedCountries: environment.allowedCountries,
    wafCaptchaScriptUrl: environment.wafCaptchaScriptUrl,
    wafCaptchaApiKey: environment.wafCaptchaApiKey,
  });
}
