import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { acknowledge, nagRule } from './nag/acknowledge.ts';

/** The AWS-managed prefix list of the addresses CloudFront uses to reach origins (about 55 entries). */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = 'com.amazonaws.global.cloudfront.origin-facing';

export interface CloudFrontIngressOptions {
  /**
   * The one port the distribution uses for this origin: 443 for an HTTPS origin, 80 for HTTP.
   * Only one, because a rule referencing a prefix list counts as the list's maximum entries (55)
   * against the 60 inbound rules a security group may hold: a second port would not deploy.
   */
  readonly port: number;
  /**
   * Id of the `com.amazonaws.global.cloudfront.origin-facing` list in the stack's region.
   * @default - looked up by name (`ec2.PrefixList.fromLookup`); commit the result in cdk.context.json so synthesis stays offline
   */
  readonly prefixListId?: string;
}

/**
 * Who may open connections to the load balancer: anyone ({@link LoadBalancerIngress.internet}) or,
 * when a CloudFront distribution is its only client, CloudFront alone ({@link LoadBalancerIngress.cloudFrontOnly}).
 */
export abstract class LoadBalancerIngress {
  /** 443 and 80 from any IPv4 address: for a load balancer that viewers reach directly (80 only redirects when it has a certificate). */
  public static internet(): LoadBalancerIngress {
    return new InternetIngress();
  }

  /**
   * Only CloudFront's origin-facing addresses, on one port. Nobody can bypass the distribution (its WAF,
   * geo rules and caching), and the address CloudFront appends to X-Forwarded-For can be trusted.
   */
  public static cloudFrontOnly(options: CloudFrontIngressOptions): LoadBalancerIngress {
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65_535) {
      throw new Error(`LoadBalancerIngress: port ${options.port} is invalid; use the port CloudFront reaches the origin on (443 for HTTPS, 80 for HTTP).`);
    }
    return new CloudFrontIngress(options);
  }

  /** True when any address may connect. */
  public abstract readonly fromInternet: boolean;
  /** The ports the load balancer accepts connections on. */
  public abstract readonly ports: readonly number[];
  /** Adds the ingress rules (and their acknowledgements) to the load balancer's group. */
  public abstract applyTo(group: ec2.SecurityGroup): void;
}

class InternetIngress extends LoadBalancerIngress {
  public readonly fromInternet = true;
  public readonly ports = [443, 80];

  public applyTo(group: ec2.SecurityGroup): void {
    group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from the internet');
    group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from the internet, redirected to HTTPS');
    acknowledge(
      group,
      [nagRule('AwsSolutions', 'EC23')],
      'No CDN in front: viewers reach this internet-facing load balancer directly on 443 and 80 (80 only redirects to HTTPS when a certificate is set).',
    );
  }
}

class CloudFrontIngress extends LoadBalancerIngress {
  public readonly fromInternet = false;
  public readonly ports: readonly number[];

  constructor(private readonly options: CloudFrontIngressOptions) {
    super();
    this.ports = [options.port];
  }

  public applyTo(group: ec2.SecurityGroup): void {
    const prefixListId = this.options.prefixListId ?? lookUpOriginFacingList(group);
    group.addIngressRule(ec2.Peer.prefixList(prefixListId), ec2.Port.tcp(this.options.port), 'From CloudFront origin-facing addresses only');
  }
}

function lookUpOriginFacingList(group: ec2.SecurityGroup): string {
  const { account, region } = Stack.of(group);
  if (Token.isUnresolved(account) || Token.isUnresolved(region)) {
    throw new Error(
      `LoadBalancerIngress.cloudFrontOnly at ${group.node.path}: looking up ${CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST} needs a stack with an explicit account and region; set the stack's env or pass prefixListId.`,
    );
  }
  return ec2.PrefixList.fromLookup(group, 'CloudFrontOriginFacing', { prefixListName: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST }).prefixListId;
}
