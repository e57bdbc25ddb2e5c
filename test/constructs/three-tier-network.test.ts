import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ThreeTierNetwork } from '../../constructs/three-tier-network.ts';
import { LoadBalancerIngress } from '../../constructs/web-tier-ingress.ts';
import { logicalId, newStack } from './support/cdk-app.ts';
import { ingressRules } from './support/security-groups.ts';

describe('ThreeTierNetwork', () => {
  it('defaults to two zones, a NAT gateway per zone, flow logs and an S3 endpoint', () => {
    const stack = newStack();
    new ThreeTierNetwork(stack, 'Network');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    template.hasResourceProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
  });

  it('lets props override zones, NAT count, CIDR and ports', () => {
    const stack = newStack();
    const network = new ThreeTierNetwork(stack, 'Network', { maxAzs: 3, natGateways: 1, cidr: '10.20.0.0/16', appPort: 8080, databasePort: 3310, cachePort: 6390 });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 9);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
    const id = (group: Parameters<typeof logicalId>[1]) => logicalId(stack, group);
    const rules = ingressRules(template);
    expect(rules).toContainEqual({ group: id(network.appSecurityGroup), source: id(network.loadBalancerSecurityGroup), fromPort: 8080, toPort: 8080 });
    expect(rules).toContainEqual({ group: id(network.databaseSecurityGroup), source: id(network.appSecurityGroup), fromPort: 3310, toPort: 3310 });
    expect(rules).toContainEqual({ group: id(network.cacheSecurityGroup), source: id(network.appSecurityGroup), fromPort: 6390, toPort: 6390 });
  });

  it('admits the internet to the load balancer only, on 443 and 80, by default', () => {
    const stack = newStack();
    const network = new ThreeTierNetwork(stack, 'Network');
    const open = ingressRules(Template.fromStack(stack)).filter((rule) => rule.source === '0.0.0.0/0' || rule.source === '::/0');
    const lb = logicalId(stack, network.loadBalancerSecurityGroup);
    expect(open.map((rule) => [rule.group, rule.fromPort]).sort()).toEqual([[lb, 443], [lb, 80]].sort());
  });

  it('admits only the given CloudFront prefix list on the one origin port when a CDN is in front', () => {
    const stack = newStack();
    const loadBalancerIngress = LoadBalancerIngress.cloudFrontOnly({ port: 80, prefixListId: 'pl-4fa04526' });
    const network = new ThreeTierNetwork(stack, 'Network', { loadBalancerIngress });
    const lb = logicalId(stack, network.loadBalancerSecurityGroup);
    const rules = ingressRules(Template.fromStack(stack));
    expect(rules.filter((rule) => rule.source.includes('/'))).toEqual([]);
    expect(rules.filter((rule) => rule.group === lb)).toEqual([{ group: lb, source: 'pl-4fa04526', fromPort: 80, toPort: 80 }]);
  });

  it('refuses to look up the CloudFront list without an account and region, naming the fix', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const loadBalancerIngress = LoadBalancerIngress.cloudFrontOnly({ port: 443 });
    expect(() => new ThreeTierNetwork(stack, 'Network', { loadBalancerIngress })).toThrow(/needs a stack with an explicit account and region; set the stack's env or pass prefixListId/);
  });

  it('uses one NAT gateway for a development network', () => {
    const stack = newStack();
    new ThreeTierNetwork(stack, 'Network', { production: false, maxAzs: 2 });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  it('refuses a single zone in production, naming the value and the fix', () => {
    expect(() => new ThreeTierNetwork(newStack(), 'Network', { maxAzs: 1 })).toThrow(/maxAzs 1 .*use maxAzs of 2 or 3 in production/);
  });

  it('refuses more NAT gateways than zones and privileged ports', () => {
    expect(() => new ThreeTierNetwork(newStack(), 'Network', { maxAzs: 2, natGateways: 3 })).toThrow(/natGateways 3 is invalid/);
    expect(() => new ThreeTierNetwork(newStack(), 'Network', { appPort: 80 })).toThrow(/appPort 80 is invalid/);
  });
});
