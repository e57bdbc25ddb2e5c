import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ThreeTierNetwork } from '../../constructs/three-tier-network.ts';
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
