import { acknowledge, nagRule } from './nag/acknowledge.ts';
import type { PosterCdn, PosterCdnProps } from './poster-cdn.ts';

/** The CDN's accepted findings, each beside the resource it concerns. */
export function acknowledgePosterCdnFindings(cdn: PosterCdn, props: PosterCdnProps): void {
  const distribution = cdn.distribution;
  if (!props.allowedCountries) {
    acknowledge(distribution, [nagRule('AwsSolutions', 'CFR1')], 'No allowedCountries given: tickets sell worldwide, so the distribution serves every country and WAF does the filtering.');
  }
  if (!props.certificate) {
    acknowledge(
      distribution,
      [nagRule('AwsSolutions', 'CFR4')],
      'No custom domain (development): the default *.cloudfront.net certificate cannot pin TLS 1.2; production passes an ACM certificate with TLSv1.2_2021.',
    );
  }
  if (props.apiLoadBalancer && !props.apiOriginDomainName) {
    acknowledge(
      distribution,
      [nagRule('AwsSolutions', 'CFR5')],
      'Development has no certificate on its load balancer, so CloudFront reaches it over HTTP; production uses an HTTPS-only origin with TLS 1.2 and a matching certificate.',
    );
  }
  acknowledge(
    cdn,
    ['Annotation::@aws-cdk/aws-cloudfront-origins:wildcardKeyPolicyForOac'],
    'The poster key lets CloudFront decrypt only for distributions of this account; naming the one distribution would be a circular reference on first deploy.',
  );
}
