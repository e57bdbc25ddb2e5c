import { Stack, type StackProps } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import type { ApiArtifact } from './api-artifact.ts';
import { applyTags, costAllocationTags } from './cost-allocation-tags.ts';
import { EdgeStack } from './edge-stack.ts';
import { isProduction } from './platform-defaults.ts';
import { TicketingPlatform, type TicketingPlatformProps } from './ticketing-platform.ts';
import type { PlatformEnvironment } from './platform-environment.ts';

export interface TicketingPlatformStackProps extends StackProps, TicketingPlatformProps {
  /** The zone of `domainName` by id and name, imported in this stack (instead of `hostedZone`). @default - `hostedZone` */
  readonly hostedZoneAttributes?: route53.HostedZoneAttributes;
}

/**
 * One environment's stack: the {@link TicketingPlatform} and nothing else. Its cost-allocation tags
 * (`tags`, merged over the defaults) are the stack's tags and reach every taggable resource, the ones
 * CDK places at the stack root included.
 */
export class TicketingPlatformStack extends Stack {
  public readonly platform: TicketingPlatform;

  constructor(scope: Construct, id: string, props: TicketingPlatformStackProps) {
    const tags = costAllocationTags(isProduction(props), props.tags);
    super(scope, id, { ...props, tags });
    applyTags(this, tags);
    const { hostedZoneAttributes, ...platformProps } = props;
    // By attributes, not HostedZone.fromLookup: synthesis stays offline and deterministic.
    const hostedZone = hostedZoneAttributes ? route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', hostedZoneAttributes) : platformProps.hostedZone;
    this.platform = new TicketingPlatform(this, 'Platform', { ...platformProps, hostedZone, tags });
  }
}

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
    cacheNodeType: environment.redisNodeType,
    allowedCountries: environment.allowedCountries,
  });
}
