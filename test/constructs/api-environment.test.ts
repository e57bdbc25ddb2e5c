import { describe, expect, it } from 'vitest';
import { apiEnvironment } from '../../constructs/api-environment.ts';

const options = { port: 3000, region: 'us-east-1', bucketName: 'posters', publicUrl: 'https://tickets.example.com', adminEmail: 'admin@example.com' };

describe('apiEnvironment', () => {
  it('trusts one proxy (the load balancer) by default', () => {
    expect(apiEnvironment(options).TRUST_PROXY).toBe('true');
  });

  it('trusts two proxies behind CloudFront, so the viewer is the second-to-last X-Forwarded-For entry', () => {
    expect(apiEnvironment({ ...options, trustedProxies: 2 }).TRUST_PROXY).toBe('2');
  });
});
