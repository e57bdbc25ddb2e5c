import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';
import { contentSecurityPolicyWithCaptcha } from '../shared/content-security-policy.ts';

/**
 * The headers of CloudFront's managed SecurityHeadersPolicy plus the buyer page's Content-Security-Policy,
 * the same one the API sends when it serves the page itself (the managed policy has no CSP); with AWS WAF's
 * CAPTCHA integration URL, its origin is allowed to load the script and be called, as the API allows it.
 */
export function siteResponseHeaders(scope: Construct, id: string, captchaScriptUrl?: string): cloudfront.ResponseHeadersPolicy {
  return new cloudfront.ResponseHeadersPolicy(scope, id, {
    comment: 'Buyer page: security headers and its Content-Security-Policy',
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicyWithCaptcha(captchaScriptUrl), override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: false, override: true },
      xssProtection: { protection: true, modeBlock: true, override: true },
    },
  });
}
