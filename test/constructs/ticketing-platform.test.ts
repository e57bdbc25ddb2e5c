import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TicketingPlatform } from '../../constructs/ticketing-platform.ts';
import { newStack, testApiArtifact } from './support/cdk-app.ts';
import { launchTemplateUserData } from './support/security-groups.ts';

describe('TicketingPlatform', () => {
  it('lets props override zones, capacity, sizes, proxy, the admin address and the API settings', () => {
    const stack = newStack();
    new TicketingPlatform(stack, 'Platform', {
      apiArtifact: testApiArtifact(),
      production: false,
      maxAzs: 3,
      natGateways: 2,
      instanceType: 't4g.medium',
      minCapacity: 2,
      maxCapacity: 6,
      prewarmCapacity: 5,
      onSaleWindows: [{ name: 'gala', startsAt: '2031-03-01T12:00:00Z', durationMinutes: 30 }],
      databaseInstanceType: 't4g.large',
      rdsProxy: true,
      cacheNodeType: 'cache.t4g.small',
      adminEmail: 'ops@example.net',
      nodeMajorVersion: 24,
      holdTtl: Duration.minutes(3),
      loginRateLimitPerIp: 5,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '2', MaxSize: '6' });
    template.hasResourceProperties('AWS::AutoScaling::ScheduledAction', { Recurrence: '30-59/5 11 1 3 *', MinSize: 5 });
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.t4g.large' });
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { CacheNodeType: 'cache.t4g.small' });
    template.resourceCountIs('AWS::RDS::DBProxy', 1);
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: Match.objectLike({ InstanceType: 't4g.medium' }) });
    const userData = launchTemplateUserData(template);
    expect(userData).toContain('Environment="ADMIN_EMAIL=ops@example.net"');
    expect(userData).toContain('dnf install -y nodejs24 ');
    expect(userData).toContain('ExecStart=/usr/bin/node-24 /opt/ticketkit/app/bin/api');
    expect(userData).toContain('Environment="HOLD_TTL_SECONDS=180"');
    expect(userData).toContain('Environment="LOGIN_RATE_LIMIT_PER_IP=5"');
    expect(userData).toContain('Environment="MAX_SEATS_PER_USER=8"'); // unset: the API's default
    expect(userData).toMatch(/\/ticketkit\?ssl=true"$/m); // through RDS Proxy: TLS verified against the system CAs
  });

  it('refuses production without a domain and a way to its certificates, naming the keys to set', () => {
    expect(() => new TicketingPlatform(newStack(), 'Platform', { apiArtifact: testApiArtifact() })).toThrow(
      /production needs domainName and either hostedZone \(hostedZoneId \+ zoneName in cdk.json context\) or certificateArn/,
    );
  });

  it('refuses an API setting the API would refuse at start, before building anything', () => {
    const props = { apiArtifact: testApiArtifact(), production: false, passwordHashCost: 25 };
    expect(() => new TicketingPlatform(newStack(), 'Platform', props)).toThrow(/passwordHashCost 25 is invalid; use a whole number of log2 of scrypt N between 10 and 20/);
  });

  it('refuses a Node.js major version Amazon Linux 2023 does not package', () => {
    expect(() => new TicketingPlatform(newStack(), 'Platform', { apiArtifact: testApiArtifact(), production: false, nodeMajorVersion: 18 })).toThrow(
      /nodeMajorVersion 18 is invalid; use a major version Amazon Linux 2023 packages as nodejs<N> \(20 and later\)/,
    );
  });

  it('refuses an HTTPS origin name without the site domain (CloudFront would knock on a closed 443)', () => {
    const props = { apiArtifact: testApiArtifact(), production: false, originDomainName: 'origin.example.com' };
    expect(() => new TicketingPlatform(newStack(), 'Platform', props)).toThrow(/originDomainName needs domainName, the site's public name/);
  });
});
