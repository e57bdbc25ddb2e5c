import { App, CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { costAllocationTags } from '../../constructs/cost-allocation-tags.ts';
import { TicketingPlatform } from '../../constructs/ticketing-platform.ts';
import { TicketingPlatformStack } from '../../constructs/ticketing-platform-stack.ts';
import { committedContext, newStack, repositoryRoot, testApiArtifact } from './support/cdk-app.ts';

/** Every taggable resource of `stack` (as CDK's tag managers know them) with the tags it carries in the template. */
function tagsOfTaggableResources(stack: Stack): Map<string, Record<string, string>> {
  const resources = Template.fromStack(stack).toJSON()['Resources'] as Record<string, { Properties?: Record<string, unknown> }>;
  const tagged = new Map<string, Record<string, string>>();
  for (const construct of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(construct)) continue;
    const manager = TagManager.isTaggable(construct) ? construct.tags : TagManager.isTaggableV2(construct) ? construct.cdkTagManager : undefined;
    if (!manager) continue;
    const logicalId = stack.resolve(construct.logicalId) as string; // overridden ids included
    const property = manager.tagPropertyName.charAt(0).toUpperCase() + manager.tagPropertyName.slice(1);
    const rendered = resources[logicalId]?.Properties?.[property];
    const tags = Array.isArray(rendered)
      ? Object.fromEntries((rendered as { Key: string; Value: string }[]).map((tag) => [tag.Key, tag.Value]))
      : ((rendered ?? {}) as Record<string, string>);
    tagged.set(`${construct.node.path} (${construct.cfnResourceType})`, tags);
  }
  return tagged;
}

describe('cost-allocation tags', () => {
  it('default to project, environment and owner; given tags win or add', () => {
    expect(costAllocationTags(true)).toEqual({ project: 'ticketkit', environment: 'production', owner: 'unassigned' });
    expect(costAllocationTags(false, { owner: 'box-office', 'cost-center': '4711' })).toEqual({ project: 'ticketkit', environment: 'development', owner: 'box-office', 'cost-center': '4711' });
  });

  it('refuse keys and values AWS would refuse, naming each', () => {
    const bad = () => costAllocationTags(true, { 'aws:team': 'x', owner: 'a;b' });
    expect(bad).toThrow(/key "aws:team" is invalid/);
    expect(bad).toThrow(/value "a;b" of owner is invalid/);
  });

  it('reach every taggable resource of the stack helper, CDK-owned providers at the stack root included', () => {
    const app = new App({ context: committedContext() });
    const stack = new TicketingPlatformStack(app, 'Tagged', {
      env: { account: '111111111111', region: 'us-east-1' },
      apiArtifact: testApiArtifact(),
      production: false,
      siteDirectory: `${repositoryRoot}dist/web`,
      tags: { owner: 'box-office', 'cost-center': '4711' },
    });
    const expected = { project: 'ticketkit', environment: 'development', owner: 'box-office', 'cost-center': '4711' };
    const tagged = tagsOfTaggableResources(stack);
    expect(tagged.size).toBeGreaterThan(50);
    const missing = [...tagged].filter(([, tags]) => Object.entries(expected).some(([key, value]) => tags[key] !== value)).map(([path]) => path);
    expect(missing).toEqual([]);
    expect(stack.tags.tagValues()).toEqual(expected);
  });

  it('reach every taggable resource under the platform construct in a stack of your own', () => {
    const stack = newStack();
    const platform = new TicketingPlatform(stack, 'Platform', { apiArtifact: testApiArtifact(), production: false });
    const tagged = [...tagsOfTaggableResources(stack)].filter(([path]) => path.startsWith(platform.node.path + '/'));
    expect(tagged.length).toBeGreaterThan(50);
    expect(tagged.filter(([, tags]) => tags['project'] !== 'ticketkit' || tags['owner'] !== 'unassigned' || tags['environment'] !== 'development')).toEqual([]);
  });
});
