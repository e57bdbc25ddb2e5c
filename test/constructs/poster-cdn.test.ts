import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { siteContentSecurityPolicy } from '../../shared/content-security-policy.ts';
import { PosterCdn } from '../../constructs/poster-cdn.ts';
import { newStack } from './support/cdk-app.ts';

describe('PosterCdn', () => {
  it('defaults to a private KMS bucket behind Origin Access Control, logging, WAF and security headers', () => {
    const stack = newStack();
    new PosterCdn(stack, 'Cdn');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3-access/' }),
    });
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
    // The site gets the buyer page's CSP (the same string the API sends); posters keep the managed security headers.
    const [headersPolicy] = Object.keys(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: { ContentSecurityPolicy: siteContentSecurityPolicy, Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31_536_000 }),
        }),
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', ResponseHeadersPolicyId: { Ref: headersPolicy } }),
        CacheBehaviors: Match.arrayWith([Match.objectLike({ PathPattern: '/posters/*', ResponseHeadersPolicyId: '67f7725c-6f97-4210-82d7-5512b31e9d03' })]),
        Logging: Match.anyValue(),
        Restrictions: Match.absent(),
      }),
    });
  });

  it('lets props override domain, certificate, countries and noncurrent version expiry', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    new PosterCdn(stack, 'Cdn', { domainName: 'posters.example.org', certificate, allowedCountries: ['DE', 'FR'], noncurrentVersionDays: 7 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['posters.example.org'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }),
        Restrictions: { GeoRestriction: { RestrictionType: 'whitelist', Locations: ['DE', 'FR'] } },
      }),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 7 } })]) },
    });
  });

  it('refuses a domain without a certificate and a web ACL outside us-east-1', () => {
    expect(() => new PosterCdn(newStack(), 'Cdn', { domainName: 'x.example.org' })).toThrow(/domainName "x.example.org" and certificate go together/);
    const stack = newStack();
    const elsewhere = new (stack.constructor as typeof import('aws-cdk-lib').Stack)(stack.node.scope!, 'Eu', { env: { account: '111111111111', region: 'eu-west-1' } });
    expect(() => new PosterCdn(elsewhere, 'Cdn')).toThrow(/only be created in us-east-1, not eu-west-1; deploy the stack to us-east-1 or pass webAclArn/);
  });
});
