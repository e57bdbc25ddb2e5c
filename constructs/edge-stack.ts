import { Stack, Token, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { isProduction, removalPolicyFor } from './platform-defaults.ts';
import { WebAcl } from './web-acl.ts';

export interface EdgeStackProps extends StackProps {
  /** The site's public name: a DNS-validated certificate is created for it. @default - no certificate */
  readonly domainName?: string;
  /** The zone of `domainName` (Route 53 zones are global). Required with `domainName`. @default - none */
  readonly hostedZoneAttributes?: route53.HostedZoneAttributes;
  /** Production retains the web ACL's log group. @default true */
  readonly production?: boolean;
  /** WAF rate-based rule of the distribution: requests per client IP per 5 minutes. @default 2000 */
  readonly rateLimitPer5Minutes?: number;
  /**
   * A CAPTCHA on the waiting room's join (WebAcl `waitingRoomCaptcha`), accepting tokens for `domainName`: set
   * it with the platform's WAF CAPTCHA integration (TicketingPlatform `wafCaptchaScriptUrl`). @default false
   */
  readonly waitingRoomCaptcha?: boolean;
}

/**
 * What CloudFront takes only from us-east-1, for a platform in another region: the site's certificate
 * and the distribution's web ACL. The platform stack reads their ARNs by cross-region references (with
 * cdk.json's weak cross-stack references, CloudFormation's Fn::GetStackOutput: no custom resource).
 */
export class EdgeStack extends Stack {
  public readonly webAcl: WebAcl;
  public readonly certificate?: acm.Certificate;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    if (!Token.isUnresolved(this.region) && this.region !== 'us-east-1') {
      throw new Error(`EdgeStack: ${id} is in ${this.region}; CloudFront takes certificates and web ACLs only from us-east-1, so set its env region to us-east-1.`);
    }
    if (props.domainName && !props.hostedZoneAttributes) {
      throw new Error(`EdgeStack: the certificate for "${props.domainName}" is validated by DNS; pass hostedZoneAttributes (the zone holding it).`);
    }
    const production = isProduction(props);
    this.webAcl = new WebAcl(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      rateLimitPer5Minutes: props.rateLimitPer5Minutes,
      removalPolicy: removalPolicyFor(production),
      waitingRoomCaptcha: props.waitingRoomCaptcha,
      tokenDomains: props.waitingRoomCaptcha && props.domainName ? [props.domainName] : undefined,
    });
    if (props.domainName && props.hostedZoneAttributes) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', props.hostedZoneAttributes);
      this.certificate = new acm.Certificate(this, 'SiteCertificate', { domainName: props.domainName, validation: acm.CertificateValidation.fromDns(zone) });
    }
  }
}
