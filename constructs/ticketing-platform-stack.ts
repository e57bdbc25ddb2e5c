import { Stack, type StackProps } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { applyTags, costAllocationTags } from './cost-allocation-tags.ts';
import { isProduction } from './platform-defaults.ts';
import { TicketingPlatform, type TicketingPlatformProps } from './ticketing-platform.ts';

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
