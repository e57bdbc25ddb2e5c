import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { PlatformDomain } from '../../constructs/platform-domain.ts';
import { TicketingPlatform } from '../../constructs/ticketing-platform.ts';
import { newStack, testApiArtifact } from './support/cdk-app.ts';

const certificateArn = 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-4000-8000-000000000000';

function zoneIn(stack: Stack, zoneName = 'example.com'): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName });
}

function stackIn(region: string): Stack {
  return new Stack(newStack().node.scope as never, `In-${region}`, { env: { account: '111111111111', region } });
}

describe('TicketingPlatform without a hosted zone', () => {
  it('creates no records, lists the ones to create in an output and says so at synth', () => {
    const stack = newStack();
    new TicketingPlatform(stack, 'Platform', { apiArtifact: testApiArtifact(), domainName: 'tickets.example.org', certificateArn });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    const [listed] = Object.values(template.findOutputs('DnsRecordsToCreate'));
    const value = JSON.stringify(listed!['Value']);
    expect(value).toContain('tickets.example.org CNAME ');
    expect(value).toContain('; origin.tickets.example.org CNAME ');
    expect(value).toMatch(/DomainName/); // the distribution's, resolved at deploy
    expect(value).toMatch(/DNSName/); // the load balancer's
    Annotations.fromStack(stack).hasInfo(
      '/Test/Platform/Domain',
      Match.stringLikeRegexp('create tickets.example.org CNAME <stack output CloudFrontDomain> and origin.tickets.example.org CNAME <stack output LoadBalancerDns>'),
    );
  });
});

describe('PlatformDomain', () => {
  it('with a zone and no certificate, DNS-validates one certificate per name and aliases both names', () => {
    const stack = newStack();
    const domain = new PlatformDomain(stack, 'Domain', { domainName: 'tickets.example.com', hostedZone: zoneIn(stack) });
    expect(domain.originDomainName).toBe('origin.tickets.example.com');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 2);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'origin.tickets.example.com', ValidationMethod: 'DNS' });
  });

  it('outside us-east-1, uses the given us-east-1 certificate for CloudFront and validates the load balancer\'s in its own region', () => {
    const stack = stackIn('eu-west-1');
    const domain = new PlatformDomain(stack, 'Domain', { domainName: 'tickets.example.com', hostedZone: zoneIn(stack), certificateArn });
    expect(domain.siteCertificate.certificateArn).toBe(certificateArn);
    Template.fromStack(stack).hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'origin.tickets.example.com' });
  });

  it('refuses what cannot deploy, naming the fix', () => {
    const stack = newStack();
    expect(() => new PlatformDomain(stack, 'A', { domainName: 'tickets.example.org', hostedZone: zoneIn(stack) })).toThrow(
      /"tickets.example.org" is not in the hosted zone "example.com"; use a name under example.com/,
    );
    expect(() => new PlatformDomain(stack, 'B', { domainName: 'tickets.example.com' })).toThrow(/needs a certificate: pass hostedZone .* or certificateArn/);
    expect(() => new PlatformDomain(stack, 'C', { domainName: 'a.example.com', originDomainName: 'a.example.com', certificateArn })).toThrow(/originDomainName "a.example.com" must differ from domainName/);
    const eu = stackIn('eu-west-1');
    expect(() => new PlatformDomain(eu, 'D', { domainName: 'tickets.example.com', hostedZone: zoneIn(eu) })).toThrow(
      /CloudFront only takes certificates from us-east-1, and this stack is in eu-west-1; .* pass certificateArn/,
    );
    expect(() => new PlatformDomain(eu, 'E', { domainName: 'tickets.example.com', certificateArn })).toThrow(/cannot serve a load balancer in eu-west-1; pass hostedZone/);
  });
});
