import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PosterCdn } from '../../constructs/poster-cdn.ts';
import { newStack } from './support/cdk-app.ts';

/** A stand-in for dist/web: index.html and one hashed asset. */
function builtSite(): string {
  const directory = mkdtempSync(join(tmpdir(), 'ticketkit-site-'));
  writeFileSync(join(directory, 'index.html'), '<!doctype html><title>site</title>');
  mkdirSync(join(directory, 'assets'));
  writeFileSync(join(directory, 'assets', 'index-abc123.js'), 'console.log(1)');
  return directory;
}

describe('the buyer page on the CDN', () => {
  it('deploys the built page to the bucket root with a year of caching for assets and no-cache for index.html, never pruning posters', () => {
    const stack = newStack();
    new PosterCdn(stack, 'Cdn', { siteDirectory: builtSite() });
    const template = Template.fromStack(stack);
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment')).map((r) => r['Properties']);
    expect(deployments).toHaveLength(2);
    for (const deployment of deployments) {
      expect(deployment.Prune).toBe(false);
      expect(deployment.DestinationBucketKeyPrefix).toBeUndefined();
    }
    const cacheControls = deployments.map((d) => d.SystemMetadata['cache-control']).sort();
    expect(cacheControls).toEqual(['no-cache', 'public, max-age=31536000, immutable']);
    const pages = deployments.find((d) => d.SystemMetadata['cache-control'] === 'no-cache');
    expect(pages.Include).toEqual(['index.html']);
    // Grants land in a managed policy: the kit keeps no inline policies.
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })] }),
      }),
    });
  });

  it('answers extension-less paths (pages of the app) with index.html and leaves files alone', () => {
    const stack = newStack();
    new PosterCdn(stack, 'Cdn', { siteDirectory: builtSite() });
    const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::CloudFront::Function'));
    const code = fn!['Properties'].FunctionCode as string;
    const handler = new Function(`${code}; return handler;`)() as (event: { request: { uri: string } }) => { uri: string };
    const rewrite = (uri: string) => handler({ request: { uri } }).uri;
    expect(rewrite('/')).toBe('/index.html');
    expect(rewrite('/events/12')).toBe('/index.html');
    expect(rewrite('/tickets')).toBe('/index.html');
    expect(rewrite('/assets/index-abc123.js')).toBe('/assets/index-abc123.js');
    expect(rewrite('/favicon.ico')).toBe('/favicon.ico');
  });

  it('deploys no page unless given one, and refuses a directory that was never built', () => {
    const stack = newStack();
    new PosterCdn(stack, 'Cdn');
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::CDKBucketDeployment', 0);
    template.resourceCountIs('AWS::CloudFront::Function', 0);
    const empty = mkdtempSync(join(tmpdir(), 'ticketkit-unbuilt-'));
    expect(() => new PosterCdn(newStack(), 'Cdn', { siteDirectory: empty })).toThrow(/has no index\.html; build the page first \(npm run build:web\)/);
  });
});
