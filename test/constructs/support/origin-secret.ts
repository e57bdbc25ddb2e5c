import { Match } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { ORIGIN_VERIFY_HEADER } from '../../../constructs/ticketing-platform.ts';
import { logicalId, type SynthesisedPlatform } from './cdk-app.ts';

/**
 * CloudFront adds the origin secret to every API request, the load balancer forwards only requests
 * that carry it, both read it from Secrets Manager at deploy time (the template holds a reference, not
 * the value), and the app's instances cannot read it.
 */
export function expectOriginSecretBetweenCdnAndLoadBalancer({ stack, template }: SynthesisedPlatform): void {
  const secret = logicalId(stack, stack.platform.originVerify);
  const reference = { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secret }, ':SecretString:::}}']] };

  template.hasResourceProperties('AWS::CloudFront::Distribution', {
    DistributionConfig: Match.objectLike({
      Origins: Match.arrayWith([Match.objectLike({ OriginCustomHeaders: [{ HeaderName: ORIGIN_VERIFY_HEADER, HeaderValue: reference }] })]),
    }),
  });
  const rules = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'));
  expect(rules).toHaveLength(1);
  expect(rules[0]!.Properties).toMatchObject({
    Priority: 1,
    Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: ORIGIN_VERIFY_HEADER, Values: [reference] } }],
    Actions: [{ Type: 'forward' }],
  });
  // Every listener that could reach the app refuses by default (or only redirects to one that does).
  for (const listener of Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener'))) {
    expect(['fixed-response', 'redirect']).toContain(listener.Properties.DefaultActions[0].Type);
  }
  const secretReaders = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy')) + JSON.stringify(template.findResources('AWS::IAM::Policy'));
  expect(secretReaders).not.toContain(`"Ref":"${secret}"`);
}
