import { App, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { EdgeStack } from '../../constructs/edge-stack.ts';
import { NAG_PACK_NAMES } from '../../constructs/nag/acknowledge.ts';
import { addNagPacks } from '../../constructs/nag/packs.ts';
import { readValidationSummary } from '../../constructs/nag/validation-summary.ts';
import { readPlatformEnvironment } from '../../constructs/platform-environment.ts';
import { PosterCdn } from '../../constructs/poster-cdn.ts';
import { TicketingPlatform } from '../../constructs/ticketing-platform.ts';
import { FUNCTION_CODE_LIMIT_BYTES, WAITING_ROOM_PATH_PATTERNS, WaitingRoom } from '../../constructs/waiting-room.ts';
import { WAITING_ROOM_JOIN_PATH } from '../../constructs/web-acl.ts';
import { contentSecurityPolicyWithCaptcha } from '../../shared/content-security-policy.ts';
import { buildWaitingRoomFunction } from '../../edge/waiting-room/build.ts';
import { committedContext, logicalId, newStack, testApiArtifact } from './support/cdk-app.ts';

const captchaScriptUrl = 'https://0123456789ab.us-east-1.captcha-sdk.awswaf.com/0123456789ab/jsapi.js';

function loadBalancer(stack: Stack): elbv2.IApplicationLoadBalancer {
  return elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Alb', {
    loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/api/0123456789abcdef',
    securityGroupId: 'sg-0123456789abcdef0',
    loadBalancerDnsName: 'api-123.us-east-1.elb.amazonaws.com',
  });
}

type Behavior = { PathPattern: string; TargetOriginId: string; CachePolicyId: unknown; OriginRequestPolicyId: unknown; FunctionAssociations?: unknown[] };

function cacheBehaviors(template: Template): Behavior[] {
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  return (distribution as { Properties: { DistributionConfig: { CacheBehaviors: Behavior[] } } }).Properties.DistributionConfig.CacheBehaviors;
}

describe('WaitingRoom', () => {
  it('creates the KeyValueStore and a cloudfront-js-2.0 function with it, carrying the built code (at most 10 KB)', () => {
    const stack = newStack();
    const room = new WaitingRoom(stack, 'Room');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudFront::KeyValueStore', 1);
    const storeId = logicalId(stack, room.store);
    const [fn] = Object.values(template.findResources('AWS::CloudFront::Function')) as { Properties: { FunctionCode: string; FunctionConfig: Record<string, unknown>; AutoPublish: boolean } }[];
    expect(fn!.Properties.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0', KeyValueStoreAssociations: [{ KeyValueStoreARN: { 'Fn::GetAtt': [storeId, 'Arn'] } }] });
    expect(fn!.Properties.AutoPublish).toBe(true);
    expect(fn!.Properties.FunctionCode).toBe(buildWaitingRoomFunction());
    expect(Buffer.byteLength(fn!.Properties.FunctionCode)).toBeLessThanOrEqual(FUNCTION_CODE_LIMIT_BYTES);
    expect(room.apiEnvironment).toEqual({ WAITING_ROOM_KVS_ARN: room.store.keyValueStoreArn });
  });

  it('keeps the token keys in a KMS-encrypted generated secret of 64 characters without punctuation (commas separate keys)', () => {
    const stack = newStack();
    const room = new WaitingRoom(stack, 'Room');
    Template.fromStack(stack).hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: { 'Fn::GetAtt': [logicalId(stack, room.encryptionKey as never), 'Arn'] },
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
  });

  it('alarms when a room reaches no place for stallAlarmMinutes while buyers wait after the on-sale, notifying the topic', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    new WaitingRoom(stack, 'Room', { alarmTopic: topic, stallAlarmMinutes: 5, metricsNamespace: 'Ticketkit/prod' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [Match.objectLike({ Expression: 'SELECT MAX(QueueStalledSeconds) FROM SCHEMA("Ticketkit/prod", EventId)', Period: 60, ReturnData: true })],
      Threshold: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: logicalId(stack, topic) }],
      OKActions: [{ Ref: logicalId(stack, topic) }],
    });
    expect(() => new WaitingRoom(newStack(), 'Room', { stallAlarmMinutes: 0 })).toThrow(/stallAlarmMinutes 0 is invalid; use a whole number of minutes between 1 and 180/);
  });
});

describe('WaitingRoom under the four packs', () => {
  it('has no open finding on its own, without a topic (the actionless alarm acknowledged) and with one', () => {
    const stack = newStack();
    const app = stack.node.scope as App;
    new WaitingRoom(stack, 'Room');
    new WaitingRoom(stack, 'NotifiedRoom', { alarmTopic: sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:111111111111:operators') });
    addNagPacks(app);
    app.synth();
    const summaries = readValidationSummary(app.outdir);
    for (const summary of summaries) expect(summary.unacknowledged.filter((finding) => finding.includes('Room/')), summary.plugin).toEqual([]);
    const alarmAcks = summaries.flatMap((s) => s.acknowledged).filter((a) => a.id.endsWith('CloudWatchAlarmAction'));
    expect(alarmAcks.map((a) => a.path.split('/')[1])).toEqual(['Room', 'Room']); // NIST and HIPAA
  });
});

describe('the waiting room on the distribution', () => {
  it('runs the function on viewer requests of /api/events/* and /api/holds/*, ahead of /api/* and with its origin and policies', () => {
    const stack = newStack();
    const room = new WaitingRoom(stack, 'Room');
    new PosterCdn(stack, 'Cdn', { apiLoadBalancer: loadBalancer(stack), waitingRoomFunction: room.function });
    const behaviors = cacheBehaviors(Template.fromStack(stack));
    const api = behaviors.find((b) => b.PathPattern === '/api/*')!;
    const index = (pattern: string) => behaviors.findIndex((b) => b.PathPattern === pattern);
    for (const pattern of WAITING_ROOM_PATH_PATTERNS) {
      const behavior = behaviors[index(pattern)]!;
      expect(index(pattern)).toBeLessThan(index('/api/*'));
      expect(behavior).toMatchObject({ TargetOriginId: api.TargetOriginId, CachePolicyId: api.CachePolicyId, OriginRequestPolicyId: api.OriginRequestPolicyId });
      expect(behavior.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [logicalId(stack, room.function), 'FunctionARN'] } }]);
    }
    expect(api.FunctionAssociations).toBeUndefined();
  });

  it('refuses the function without the API or under another API path', () => {
    const stack = newStack();
    const room = new WaitingRoom(stack, 'Room');
    expect(() => new PosterCdn(stack, 'Cdn', { waitingRoomFunction: room.function })).toThrow(/waitingRoomFunction guards the API paths; pass apiLoadBalancer/);
    expect(() => new PosterCdn(stack, 'Cdn2', { waitingRoomFunction: room.function, apiLoadBalancer: loadBalancer(stack), apiPathPattern: '/v1/*' })).toThrow(
      /under the API's own \/api\/\*, not apiPathPattern "\/v1\/\*"/,
    );
    expect(() => new PosterCdn(newStack(), 'Cdn', { captchaScriptUrl: 'http://captcha.example/jsapi.js' })).toThrow(/captchaScriptUrl "http:\/\/captcha.example\/jsapi.js" is not an https:\/\/ URL/);
  });
});

describe('the CAPTCHA on the join', () => {
  const captchaRule = Match.objectLike({
    Name: 'WaitingRoomJoinCaptcha',
    Action: { Captcha: {} },
    Statement: {
      AndStatement: {
        Statements: [
          Match.objectLike({ ByteMatchStatement: Match.objectLike({ FieldToMatch: { Method: {} }, PositionalConstraint: 'EXACTLY', SearchString: 'POST' }) }),
          Match.objectLike({ RegexMatchStatement: Match.objectLike({ FieldToMatch: { UriPath: {} }, RegexString: WAITING_ROOM_JOIN_PATH }) }),
        ],
      },
    },
  });

  it('matches exactly the join route as the API routes it', () => {
    const join = new RegExp(WAITING_ROOM_JOIN_PATH);
    expect(['/api/events/42/queue', '/api/events/42/queue/'].every((path) => join.test(path))).toBe(true);
    expect(['/api/events/42', '/api/events/42/queue/x', '/api/events/42/seats', '/x/api/events/42/queue'].some((path) => join.test(path))).toBe(false);
  });

  it("puts a CAPTCHA rule in the distribution's CLOUDFRONT web ACL, tokens for the site's domain, and the integration's origin in the page's CSP", () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    new PosterCdn(stack, 'Cdn', { domainName: 'tickets.example.org', certificate, captchaScriptUrl });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: Match.arrayWith([captchaRule]),
      TokenDomains: ['tickets.example.org'],
      CaptchaConfig: { ImmunityTimeProperty: { ImmunityTime: 300 } },
    });
    const csp = contentSecurityPolicyWithCaptcha(captchaScriptUrl);
    expect(csp).toContain("script-src 'self' https://0123456789ab.us-east-1.captcha-sdk.awswaf.com");
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({ SecurityHeadersConfig: Match.objectLike({ ContentSecurityPolicy: { ContentSecurityPolicy: csp, Override: true } }) }),
    });
  });

  it('has no CAPTCHA rule unless asked (the page must integrate it first)', () => {
    const stack = newStack();
    new PosterCdn(stack, 'Cdn');
    const [acl] = Object.values(Template.fromStack(stack).findResources('AWS::WAFv2::WebACL')) as { Properties: { Rules: { Name: string }[]; TokenDomains?: unknown } }[];
    expect(acl!.Properties.Rules.map((rule) => rule.Name)).not.toContain('WaitingRoomJoinCaptcha');
    expect(acl!.Properties.TokenDomains).toBeUndefined();
  });

  it('is in the EdgeStack ACL too, for a platform outside us-east-1', () => {
    const app = newStack().node.scope as App;
    const edge = new EdgeStack(app, 'Edge', {
      env: { account: '111111111111', region: 'us-east-1' },
      domainName: 'tickets.example.org',
      hostedZoneAttributes: { hostedZoneId: 'Z0123456789', zoneName: 'example.org' },
      waitingRoomCaptcha: true,
    });
    Template.fromStack(edge).hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT', Rules: Match.arrayWith([captchaRule]), TokenDomains: ['tickets.example.org'] });
  });
});

describe('the waiting room in TicketingPlatform', () => {
  let stack: Stack;
  let platform: TicketingPlatform;
  let template: Template;
  let app: App;
  beforeAll(() => {
    stack = newStack();
    app = stack.node.scope as App;
    platform = new TicketingPlatform(stack, 'Platform', {
      apiArtifact: testApiArtifact(),
      production: false,
      wafCaptchaScriptUrl: captchaScriptUrl,
      wafCaptchaApiKey: 'public-captcha-api-key-for-the-site',
    });
    addNagPacks(app);
    app.synth();
    template = Template.fromStack(stack);
  });

  it('grants the API DescribeKeyValueStore and UpdateKeys on its store only', () => {
    const storeArn = { 'Fn::GetAtt': [logicalId(stack, platform.waitingRoom.store), 'Arn'] };
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Sid: 'PublishWaitingRooms', Effect: 'Allow', Action: ['cloudfront-keyvaluestore:DescribeKeyValueStore', 'cloudfront-keyvaluestore:UpdateKeys'], Resource: storeArn },
        ]),
      },
    });
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(
      (policy) => (policy as { Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } } }).Properties.PolicyDocument.Statement,
    );
    const kvsStatements = statements.filter((s) => [s.Action].flat().some((action) => action.startsWith('cloudfront-keyvaluestore:')));
    expect(kvsStatements).toHaveLength(1);
  });

  it('gives the instances WAITING_ROOM_KVS_ARN, the CAPTCHA integration and WAITING_ROOM_TOKEN_KEYS from its secret (never inlined)', () => {
    const userData = JSON.stringify(stack.resolve(platform.webTier.userData.render()));
    expect(userData).toContain('Environment=\\"WAITING_ROOM_KVS_ARN=');
    expect(userData).toContain(logicalId(stack, platform.waitingRoom.store));
    expect(userData).toContain(`Environment=\\"WAF_CAPTCHA_SCRIPT_URL=${captchaScriptUrl}\\"`);
    expect(userData).toContain('Environment=\\"WAF_CAPTCHA_API_KEY=public-captcha-api-key-for-the-site\\"');
    expect(userData).toContain('WAITING_ROOM_TOKEN_KEYS=\\"$waiting_room_token_keys\\"');
    expect(userData).toContain(logicalId(stack, platform.waitingRoom.tokenKeys));
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'ReadSecrets', Resource: Match.arrayWith([{ Ref: logicalId(stack, platform.waitingRoom.tokenKeys) }]) })]) },
    });
  });

  it('associates the function on both behaviours, the CAPTCHA in the web ACL, and the stall alarm on the notifications topic', () => {
    const behaviors = cacheBehaviors(template);
    for (const pattern of WAITING_ROOM_PATH_PATTERNS) expect(behaviors.find((b) => b.PathPattern === pattern)?.FunctionAssociations).toHaveLength(1);
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT', Rules: Match.arrayWith([Match.objectLike({ Name: 'WaitingRoomJoinCaptcha' })]) });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: logicalId(stack, platform.webTier.notificationsTopic) }] });
  });

  it('adds no unacknowledged cdk-nag finding', () => {
    const summaries = readValidationSummary(app.outdir);
    expect(summaries.map((s) => s.plugin)).toEqual(expect.arrayContaining([...NAG_PACK_NAMES]));
    for (const summary of summaries) expect(summary.unacknowledged, summary.plugin).toEqual([]);
  });

  it('refuses a CAPTCHA URL without its API key', () => {
    expect(() => new TicketingPlatform(newStack(), 'Platform', { apiArtifact: testApiArtifact(), production: false, wafCaptchaScriptUrl: captchaScriptUrl })).toThrow(
      /wafCaptchaScriptUrl and wafCaptchaApiKey go together/,
    );
  });
});

describe('the CAPTCHA settings in cdk.json', () => {
  const withDev = (settings: Record<string, unknown>) => {
    const environments = committedContext()['ticketkit:environments'] as Record<string, Record<string, unknown>>;
    return new App({ context: { 'ticketkit:environments': { dev: { ...environments['dev'], ...settings } } } }).node;
  };

  it('reads the integration URL and API key together, and refuses one without the other or a URL that is not https', () => {
    expect(readPlatformEnvironment(withDev({ wafCaptchaScriptUrl: captchaScriptUrl, wafCaptchaApiKey: 'key' }), 'dev')).toMatchObject({ wafCaptchaScriptUrl: captchaScriptUrl, wafCaptchaApiKey: 'key' });
    expect(() => readPlatformEnvironment(withDev({ wafCaptchaScriptUrl: captchaScriptUrl }), 'dev')).toThrow(/ticketkit:environments.dev.wafCaptchaApiKey goes with wafCaptchaScriptUrl/);
    expect(() => readPlatformEnvironment(withDev({ wafCaptchaScriptUrl: 'http://x.example/jsapi.js', wafCaptchaApiKey: 'key' }), 'dev')).toThrow(/ticketkit:environments.dev.wafCaptchaScriptUrl/);
  });
});
