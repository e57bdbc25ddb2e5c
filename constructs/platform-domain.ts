import { Annotations, CfnOutput, Fn, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

export interface PlatformDomainProps {
  /** Public name of the site, served by CloudFront. */
  readonly domainName: string;
  /** Name CloudFront reaches the load balancer by, over HTTPS. @default 'origin.' + domainName */
  readonly originDomainName?: string;
  /**
   * The Route 53 zone holding both names: the certificates are DNS-validated in it and the alias records
   * created, so the first deploy needs no manual step.
   * @default - no zone: the records to create by hand are printed at synth and listed in an output
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * An issued us-east-1 ACM certificate for CloudFront, covering `domainName` (and `originDomainName`, which
   * the load balancer then serves with it when the stack is in us-east-1).
   * @default - DNS-validated in `hostedZone` (required then, and the stack in us-east-1)
   */
  readonly certificateArn?: string;
}

/** One DNS record the operator creates when the platform has no hosted zone. */
export interface DnsRecordToCreate {
  readonly name: string;
  readonly type: 'CNAME';
  /** The stack output whose value the record points to. */
  readonly valueOutput: string;
}

/**
 * The platform's two names: the site (CloudFront) and the API origin (the load balancer), their
 * certificates, and the records pointing at them. CloudFront only takes us-east-1 certificates; the load
 * balancer takes one from its own region, so created certificates need the stack in us-east-1.
 */
export class PlatformDomain extends Construct {
  public readonly domainName: string;
  public readonly originDomainName: string;
  public readonly hostedZone?: route53.IHostedZone;
  /** CloudFront's certificate (us-east-1) for `domainName`. */
  public readonly siteCertificate: acm.ICertificate;
  /** The load balancer's certificate for `originDomainName`. */
  public readonly originCertificate: acm.ICertificate;
  /** Alias records, when there is a zone. */
  public readonly records: route53.RecordSet[] = [];
  /** What to create by hand, when there is no zone. */
  public readonly recordsToCreate: DnsRecordToCreate[] = [];

  constructor(scope: Construct, id: string, props: PlatformDomainProps) {
    super(scope, id);
    this.domainName = props.domainName;
    this.originDomainName = props.originDomainName ?? `origin.${props.domainName}`;
    this.hostedZone = props.hostedZone;
    validatePlatformDomain(this, props, this.originDomainName);
    const validation = props.hostedZone ? acm.CertificateValidation.fromDns(props.hostedZone) : undefined;
    this.siteCertificate = props.certificateArn
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
      : new acm.Certificate(this, 'SiteCertificate', { domainName: this.domainName, validation });
    // A us-east-1 certificate serves a load balancer in us-east-1 too; elsewhere the zone validates one in its region.
    this.originCertificate =
      props.certificateArn && !(props.hostedZone && !inUsEast1(this))
        ? this.siteCertificate
        : new acm.Certificate(this, 'OriginCertificate', { domainName: this.originDomainName, validation });
  }

  /** Points the site name at the distribution and the origin name at the load balancer, or says how to. */
  public routeTo(distribution: cloudfront.IDistribution, loadBalancer: elbv2.IApplicationLoadBalancer): void {
    const zone = this.hostedZone;
    if (zone) {
      const site = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(distribution));
      this.records.push(
        new route53.ARecord(this, 'SiteAlias', { zone, recordName: this.domainName, target: site }),
        new route53.AaaaRecord(this, 'SiteAliasIpv6', { zone, recordName: this.domainName, target: site }),
        new route53.ARecord(this, 'OriginAlias', { zone, recordName: this.originDomainName, target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(loadBalancer)) }),
      );
      return;
    }
    this.recordsToCreate.push(
      { name: this.domainName, type: 'CNAME', valueOutput: 'CloudFrontDomain' },
      { name: this.originDomainName, type: 'CNAME', valueOutput: 'LoadBalancerDns' },
    );
    const listed = new CfnOutput(this, 'DnsRecordsToCreate', {
      description: 'No hosted zone was given: create these records (an ALIAS instead of a CNAME at a zone apex)',
      value: Fn.join('', [`${this.domainName} CNAME `, distribution.distributionDomainName, `; ${this.originDomainName} CNAME `, loadBalancer.loadBalancerDnsName]),
    });
    listed.overrideLogicalId('DnsRecordsToCreate');
    Annotations.of(this).addInfo(`No hosted zone: after the deploy, create ${describeRecords(this.recordsToCreate)} (stack output DnsRecordsToCreate lists them with their values).`);
  }
}

/** `name CNAME <output>` for each record, for messages. */
export function describeRecords(records: readonly DnsRecordToCreate[]): string {
  return records.map((r) => `${r.name} ${r.type} <stack output ${r.valueOutput}>`).join(' and ');
}

function validatePlatformDomain(scope: Construct, props: PlatformDomainProps, originDomainName: string): void {
  if (originDomainName === props.domainName) {
    throw new Error(`PlatformDomain: originDomainName "${originDomainName}" must differ from domainName: CloudFront serves the site name, the load balancer the origin name.`);
  }
  const zone = props.hostedZone;
  if (zone && !Token.isUnresolved(zone.zoneName)) {
    for (const name of [props.domainName, originDomainName]) {
      if (name !== zone.zoneName && !name.endsWith(`.${zone.zoneName}`)) {
        throw new Error(`PlatformDomain: "${name}" is not in the hosted zone "${zone.zoneName}"; use a name under ${zone.zoneName} or the zone that holds it.`);
      }
    }
  }
  if (!props.certificateArn && !zone) {
    throw new Error(`PlatformDomain: "${props.domainName}" needs a certificate: pass hostedZone (certificates DNS-validated and records created there) or certificateArn (an issued us-east-1 certificate covering ${props.domainName} and ${originDomainName}).`);
  }
  const region = Stack.of(scope).region;
  if (!props.certificateArn && !inUsEast1(scope)) {
    throw new Error(
      `PlatformDomain: CloudFront only takes certificates from us-east-1, and this stack is in ${region}; deploy the platform to us-east-1, or create the site certificate there and pass certificateArn (the zone then validates the load balancer's in ${region}).`,
    );
  }
  if (props.certificateArn && !zone && !inUsEast1(scope)) {
    throw new Error(`PlatformDomain: the us-east-1 certificateArn cannot serve a load balancer in ${region}; pass hostedZone so one is DNS-validated in ${region}, or deploy to us-east-1.`);
  }
}

/** True in us-east-1, and in an environment-agnostic stack (whose region is only known at deploy time). */
function inUsEast1(scope: Construct): boolean {
  const region = Stack.of(scope).region;
  return Token.isUnresolved(region) || region === 'us-east-1';
}
