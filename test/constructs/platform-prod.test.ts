import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECRET_VARIABLES } from '../../constructs/api-user-data.ts';
import { NAG_PACK_NAMES } from '../../constructs/nag/acknowledge.ts';
import { readValidationSummary } from '../../constructs/nag/validation-summary.ts';
import { logicalId, synthesisePlatform, type SynthesisedPlatform } from './support/cdk-app.ts';
import { expectOriginSecretBetweenCdnAndLoadBalancer } from './support/origin-secret.ts';
import { acknowledgementsUnder } from './support/nag.ts';
import { ingressRules, launchTemplateUserData } from './support/security-groups.ts';

/** `com.amazonaws.global.cloudfront.origin-facing` in us-east-1, as committed in cdk.context.json. */
const CLOUDFRONT_ORIGIN_FACING_US_EAST_1 = 'pl-3b927c52';

let prod: SynthesisedPlatform;
beforeAll(() => {
  prod = synthesisePlatform('prod');
});

describe('prod platform under cdk-nag', () => {
  it('has zero unacknowledged findings in the four packs and every other validation plugin', () => {
    const summaries = readValidationSummary(prod.assemblyDir);
    expect(summaries.map((s) => s.plugin)).toEqual(expect.arrayContaining([...NAG_PACK_NAMES]));
    for (const summary of summaries) expect(summary.unacknowledged, summary.plugin).toEqual([]);
  });

  it('acknowledges with Pack::Rule ids and specific reasons, and every acknowledgement matches a finding', () => {
    // CDK records a few CloudFormation-Validate acknowledgements of its own; ours are the rest.
    const ours = acknowledgementsUnder(prod.stack.platform).filter((ack) => !ack.id.startsWith('CloudFormation-Validate::'));
    expect(ours.length).toBeGreaterThan(10);
    const used = new Set(readValidationSummary(prod.assemblyDir).flatMap((s) => s.acknowledged.map((a) => `${a.id}@${a.path}`)));
    for (const ack of ours) {
      expect(ack.id).toMatch(/^[A-Za-z0-9.-]+::\S+$/);
      expect(ack.reason.length, ack.id).toBeGreaterThanOrEqual(20);
      // Annotation warnings are dropped when acknowledged rather than listed, so only pack findings can be matched.
      if (!ack.id.startsWith('Annotation::')) expect(used.has(`${ack.id}@${ack.path}`), `stale acknowledgement ${ack.id} at ${ack.path}`).toBe(true);
    }
  });
});

describe('prod platform: who reaches whom', () => {
  it('admits no address range anywhere: only CloudFront reaches the load balancer, on 443 alone', () => {
    const lb = logicalId(prod.stack, prod.stack.platform.network.loadBalancerSecurityGroup);
    const rules = ingressRules(prod.template);
    expect(rules.filter((rule) => rule.source.includes('/'))).toEqual([]);
    // One port: a prefix list rule weighs the list's 55 entries against the group's 60-rule quota.
    expect(rules.filter((rule) => rule.group === lb)).toEqual([{ group: lb, source: CLOUDFRONT_ORIGIN_FACING_US_EAST_1, fromPort: 443, toPort: 443 }]);
    expect(prod.template.toJSON()).not.toHaveProperty(['Resources', lb, 'Properties', 'SecurityGroupIngress']);
  });

  it('forwards only requests that carry the origin secret CloudFront adds, read from Secrets Manager at deploy time', () => {
    expectOriginSecretBetweenCdnAndLoadBalancer(prod);
  });

  it('no longer acknowledges open ingress (EC23) on the load balancer group', () => {
    const acknowledged = readValidationSummary(prod.assemblyDir).flatMap((s) => s.acknowledged);
    expect(acknowledged.filter((ack) => ack.id.includes('EC23'))).toEqual([]);
  });

  it('lets only the load balancer reach the app port, and only the app reach MySQL (via the proxy) and Redis', () => {
    const { network, database } = prod.stack.platform;
    const id = (group: Parameters<typeof logicalId>[1]) => logicalId(prod.stack, group);
    const sourcesOf = (group: string) => ingressRules(prod.template).filter((rule) => rule.group === group).map((rule) => [rule.source, rule.fromPort]);
    expect(sourcesOf(id(network.appSecurityGroup))).toEqual([[id(network.loadBalancerSecurityGroup), 3000]]);
    expect(sourcesOf(id(network.cacheSecurityGroup))).toEqual([[id(network.appSecurityGroup), 6380]]);
    expect(sourcesOf(id(database.proxySecurityGroup!))).toEqual([[id(network.appSecurityGroup), 3306]]);
    const databaseSources = sourcesOf(id(network.databaseSecurityGroup)).map(([source]) => source);
    expect(databaseSources.sort()).toEqual([id(network.appSecurityGroup), id(database.rotationSecurityGroup), id(database.proxySecurityGroup!), id(database.apiUser.securityGroup)].sort());
  });
});

describe('prod platform: tiers', () => {
  it("rate-limits at the load balancer by the viewer address CloudFront wrote, counting only single-address X-Forwarded-For", () => {
    prod.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'RateLimitPerIp',
          Statement: {
            RateBasedStatement: Match.objectLike({
              AggregateKeyType: 'FORWARDED_IP',
              ForwardedIPConfig: Match.objectLike({ HeaderName: 'X-Forwarded-For' }),
              ScopeDownStatement: { RegexMatchStatement: Match.objectLike({ FieldToMatch: { SingleHeader: { Name: 'x-forwarded-for' } }, RegexString: '^[^,]+$' }) },
            }),
          },
        }),
      ]),
    });
    // The edge counts every viewer by the address it connects from, whatever headers it sends.
    prod.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: Match.arrayWith([Match.objectLike({ Name: 'RateLimitPerIp', Statement: { RateBasedStatement: Match.objectLike({ AggregateKeyType: 'IP' }) } })]),
    });
  });

  it('serves HTTPS with the certificate and only redirects HTTP', () => {
    prod.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('^PlatformDomainOriginCertificate') } }],
    });
    prod.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
    prod.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'deletion_protection.enabled', Value: 'true' },
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
      ]),
    });
  });

  it('checks /readyz, drains for 30 s and keeps stickiness off', () => {
    prod.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/readyz',
      Port: 3000,
      TargetGroupAttributes: Match.arrayWith([
        { Key: 'deregistration_delay.timeout_seconds', Value: '30' },
        { Key: 'stickiness.enabled', Value: 'false' },
      ]),
    });
    prod.template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { HealthCheckType: 'ELB', MinSize: '3', MaxSize: '30' });
  });

  it('scales on requests per target and pre-warms 30 minutes before the declared on-sale', () => {
    prod.template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget' } },
    });
    prod.template.hasResourceProperties('AWS::AutoScaling::ScheduledAction', { Recurrence: '30-59/5 16 1 6 *', MinSize: 12, StartTime: Match.absent() });
    prod.template.hasResourceProperties('AWS::AutoScaling::ScheduledAction', { Recurrence: '0-29/5 19 1 6 *', MinSize: 3, StartTime: Match.absent() });
  });

  it('launches instances with IMDSv2, encrypted EBS, no SSH key', () => {
    prod.template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: Match.objectLike({ Encrypted: true }) }],
        KeyName: Match.absent(),
      }),
    });
  });

  it('fails a deploy whose instances never become ready: creation and every rolling batch wait for their signals', () => {
    prod.template.hasResource('AWS::AutoScaling::AutoScalingGroup', {
      CreationPolicy: { ResourceSignal: { Count: 3, Timeout: 'PT15M' } },
      UpdatePolicy: {
        AutoScalingRollingUpdate: Match.objectLike({ WaitOnResourceSignals: true, PauseTime: 'PT15M', MinInstancesInService: 3, MaxBatchSize: 3 }),
        // A deploy during an on-sale keeps the size the schedule set.
        AutoScalingScheduledAction: { IgnoreUnmodifiedGroupSizeProperties: true },
      },
      Properties: Match.objectLike({ DesiredCapacity: Match.absent(), NotificationConfigurations: [Match.objectLike({ TopicARN: Match.anyValue() })] }),
    });
    const userData = launchTemplateUserData(prod.template);
    const asg = Object.keys(prod.template.findResources('AWS::AutoScaling::AutoScalingGroup'))[0]!;
    // The script's exit code is the signal: a trap on EXIT reports it, success only after /readyz answered 200.
    expect(userData).toMatch(/^trap exitTrap EXIT$/m);
    expect(userData).toContain(`/opt/aws/bin/cfn-signal --stack Ticketkit-prod --resource ${asg} --region us-east-1 -e $exitCode`);
    expect(userData).toContain("until [ \"$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 http://127.0.0.1:3000/readyz)\" = 200 ]; do");
    expect(userData).toMatch(/not ready within 600 s.*exit 1; fi$/m);
    expect(userData.indexOf('http://127.0.0.1:3000/readyz')).toBeGreaterThan(userData.indexOf('systemctl enable --now ticketkit-api.service'));
  });

  it('keeps MySQL encrypted, Multi-AZ, protected, TLS-only and on a non-default port', () => {
    prod.template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'mysql',
      StorageEncrypted: true,
      MultiAZ: true,
      DeletionProtection: true,
      Port: '3307',
      PubliclyAccessible: false,
      EnablePerformanceInsights: true,
      EnableCloudwatchLogsExports: ['audit', 'error', 'general', 'slowquery'],
    });
    prod.template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: Match.objectLike({ require_secure_transport: '1', binlog_format: 'ROW' }) });
    prod.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { HostedRotationLambda: Match.objectLike({ RotationType: 'MySQLSingleUser' }) });
    prod.template.resourceCountIs('AWS::RDS::DBProxy', 1);
  });

  it('runs Redis Multi-AZ with failover, encryption, RBAC users and noeviction', () => {
    prod.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
      Port: 6380,
      UserGroupIds: [{ Ref: logicalId(prod.stack, prod.stack.platform.cache.users) }],
    });
    prod.template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { Properties: Match.objectLike({ 'maxmemory-policy': 'noeviction' }) });
  });

  it('serves posters through Origin Access Control and the API uncached on /api/*', () => {
    prod.template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    });
    prod.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['tickets.example.com'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }),
        WebACLId: Match.anyValue(),
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
        Origins: Match.arrayWith([
          Match.objectLike({ OriginAccessControlId: Match.anyValue() }),
          Match.objectLike({ DomainName: 'origin.tickets.example.com', CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only' }) }),
        ]),
        CacheBehaviors: Match.arrayWith([
          Match.objectLike({
            PathPattern: '/api/*',
            CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
            OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
            AllowedMethods: Match.arrayWith(['POST', 'DELETE']),
          }),
        ]),
      }),
    });
  });

  it('blocks public access on every bucket, log buckets included', () => {
    const buckets = Object.values(prod.template.findResources('AWS::S3::Bucket'));
    expect(buckets.length).toBeGreaterThanOrEqual(3);
    for (const bucket of buckets) {
      expect((bucket['Properties'] as Record<string, unknown>)['PublicAccessBlockConfiguration']).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });
});

describe('prod platform: a first deploy with no manual step', () => {
  const zone = 'Z0123456789ABCDEFGHIJ';

  it('DNS-validates the site certificate (CloudFront, us-east-1) and the origin certificate (load balancer) in the zone', () => {
    for (const name of ['tickets.example.com', 'origin.tickets.example.com']) {
      prod.template.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: name,
        ValidationMethod: 'DNS',
        DomainValidationOptions: [{ DomainName: name, HostedZoneId: zone }],
      });
    }
    prod.template.resourceCountIs('AWS::CertificateManager::Certificate', 2);
  });

  it('points the site name at CloudFront (A and AAAA) and the origin name at the load balancer', () => {
    const distribution = Object.keys(prod.template.findResources('AWS::CloudFront::Distribution'))[0]!;
    for (const type of ['A', 'AAAA']) {
      prod.template.hasResourceProperties('AWS::Route53::RecordSet', {
        HostedZoneId: zone,
        Name: 'tickets.example.com.',
        Type: type,
        AliasTarget: { DNSName: { 'Fn::GetAtt': [distribution, 'DomainName'] }, HostedZoneId: Match.anyValue() },
      });
    }
    const loadBalancer = logicalId(prod.stack, prod.stack.platform.webTier.loadBalancer);
    prod.template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: zone,
      Name: 'origin.tickets.example.com.',
      Type: 'A',
      AliasTarget: Match.objectLike({ HostedZoneId: { 'Fn::GetAtt': [loadBalancer, 'CanonicalHostedZoneID'] } }),
    });
    prod.template.resourceCountIs('AWS::Route53::RecordSet', 3);
    expect(prod.template.findOutputs('DnsRecordsToCreate')).toEqual({});
  });

  it('outputs what an operator and bin/migrate need, under stable names', () => {
    const outputs = prod.template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(
      ['ApiLogGroup', 'CloudFrontDomain', 'DatabaseEndpoint', 'DatabaseName', 'DatabaseSecretArn', 'LoadBalancerDns', 'NotificationsTopic', 'PosterBucket', 'RedisAuthSecretArn', 'RedisEndpoint', 'SiteUrl'],
    );
    expect(outputs['SiteUrl']!['Value']).toBe('https://tickets.example.com');
    const ref = (construct: { node: { defaultChild?: unknown } }) => ({ Ref: logicalId(prod.stack, construct) });
    expect(outputs['PosterBucket']!['Value']).toEqual(ref(prod.stack.platform.cdn.bucket));
    expect(outputs['ApiLogGroup']!['Value']).toEqual(ref(prod.stack.platform.appLogGroup));
    expect(outputs['NotificationsTopic']!['Value']).toEqual(ref(prod.stack.platform.webTier.notificationsTopic));
    expect(JSON.stringify(outputs['DatabaseEndpoint']!['Value'])).toContain('Endpoint');
    expect(JSON.stringify(outputs['RedisEndpoint']!['Value'])).toContain(':6380');
  });
});

describe('prod platform: the API on the instances', () => {
  it('sets every API variable by its exact name in the systemd unit or from secrets at start', () => {
    const userData = launchTemplateUserData(prod.template);
    const plain = ['NODE_ENV', 'PORT', 'TRUST_PROXY', 'AWS_REGION', 'S3_BUCKET', 'POSTER_BASE_URL', 'ALLOWED_ORIGINS', 'ADMIN_EMAIL', 'HOLD_TTL_SECONDS', 'MAX_SEATS_PER_USER', 'PASSWORD_HASH_COST', 'HOLD_RATE_LIMIT_PER_USER', 'HOLD_RATE_LIMIT_PER_IP', 'LOGIN_RATE_LIMIT_PER_IP', 'LOG_LEVEL'];
    for (const name of plain) expect(userData).toMatch(new RegExp(`^Environment="${name}=`, 'm'));
    for (const name of SECRET_VARIABLES) expect(userData).toMatch(new RegExp(`^${name}="`, 'm'));
    expect(userData).toContain('Environment="PORT=3000"');
    // CloudFront + load balancer: the viewer is the second-to-last X-Forwarded-For entry.
    expect(userData).toContain('Environment="TRUST_PROXY=2"');
    expect(userData).toContain('Environment="POSTER_BASE_URL=https://tickets.example.com"');
    expect(userData).toMatch(/^Environment="REDIS_URL=rediss:\/\/ticketkit-api@.*:6380\/0"$/m);
    expect(userData).toMatch(/^Environment="REDIS_SECRET_ARN=\{\{"Ref":"PlatformCacheUsersApiUserSecret/m);
    expect(userData).toContain('Environment="REDIS_KEY_PREFIX=tk:"');
    expect(userData).not.toContain('redis_token');
    // MySQL: the proxy user through RDS Proxy (system CAs), the replica directly (RDS CA), both with RDS IAM tokens: no password anywhere.
    expect(userData).toMatch(/^Environment="DATABASE_URL=mysql:\/\/ticketkit_api_proxy@.*:3306\/ticketkit\?ssl=true"$/m);
    expect(userData).toMatch(/^Environment="DATABASE_READ_URL=mysql:\/\/ticketkit_api@.*:3307\/ticketkit\?ssl=rds"$/m);
    expect(userData).toContain('Environment="DATABASE_IAM_AUTH=true"');
    expect(userData).not.toMatch(/db_password|DATABASE_SECRET_ARN/);
    expect(userData).not.toMatch(/S3_ENDPOINT/);
  });

  it('installs Node 22 and cfn-signal, runs the artifact with Node alone (no npm) and never puts a secret value in the template', () => {
    const userData = launchTemplateUserData(prod.template);
    expect(userData).toContain('dnf install -y nodejs22 jq unzip amazon-cloudwatch-agent aws-cfn-bootstrap');
    expect(userData).not.toMatch(/\bnpm\b|\bnpx\b|node_modules/);
    expect(userData).toContain('ExecStart=/usr/bin/node-22 /opt/ticketkit/app/bin/api');
    // systemd never stops restarting it (the default start limit would give up after 5 starts in 10 s).
    expect(userData).toMatch(/^StartLimitIntervalSec=0$/m);
    expect(userData).toContain('Restart=always');
    // Binlog retention needs the master user: the API user's custom resource runs it, not the instances.
    expect(userData).not.toContain('run-sql');
    expect(userData).toContain('TimeoutStopSec=30');
    expect(userData).toContain('secretsmanager get-secret-value');
    expect(userData).not.toContain('resolve:secretsmanager');
  });

  it('grants the app role read on its secrets and read/write only on posters', () => {
    const policies = Object.values(prod.template.findResources('AWS::IAM::ManagedPolicy')).map((p) => JSON.stringify(p['Properties']));
    const app = policies.find((p) => p.includes('ReadWritePosters'))!;
    expect(app).toBeDefined();
    expect(app).not.toMatch(/"s3:\*"|"kms:\*"|"secretsmanager:\*"/);
    prod.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'ReadWritePosters', Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'], Resource: { 'Fn::Join': ['', [Match.anyValue(), '/posters/*']] } }),
        ]),
      },
    });
    const readSecrets = JSON.parse(app).PolicyDocument.Statement.find((statement: { Sid: string }) => statement.Sid === 'ReadSecrets');
    expect(readSecrets.Action).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(readSecrets.Resource).toHaveLength(4); // Redis user, session keys, admin password, waiting-room token keys: never a database secret (RDS IAM)
    // The artifact comes from the SSE-KMS CDK assets bucket: decrypt through S3, for that bucket's objects only.
    const decrypt = JSON.parse(app).PolicyDocument.Statement.find((statement: { Sid: string }) => statement.Sid === 'DecryptApiBundle');
    expect(decrypt).toMatchObject({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } });
    expect(JSON.stringify(decrypt.Condition.StringLike)).toContain('cdk-hnb659fds-assets-111111111111-us-east-1');
    prod.template.resourceCountIs('AWS::IAM::Policy', 1); // only CDK's RDS Proxy role keeps an (acknowledged) inline policy
  });
});
