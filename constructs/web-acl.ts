import { ArnFormat, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { createLogEncryptionKey } from './log-encryption-key.ts';

export interface WebAclProps {
  /** `REGIONAL` for a load balancer, `CLOUDFRONT` for a distribution (must live in us-east-1). */
  readonly scope: 'REGIONAL' | 'CLOUDFRONT';
  /**
   * Requests per client IP per 5 minutes before the rate-based rule blocks it.
   * @default 2000
   */
  readonly rateLimitPer5Minutes?: number;
  /**
   * What the rate-based rule counts by: the connecting IP, or the first address of X-Forwarded-For
   * (use it behind CloudFront, whose edge addresses would otherwise share one budget). CloudFront
   * appends the viewer address as the last entry, after any the viewer sent itself, so the rule then
   * counts only requests whose X-Forwarded-For holds that one address: a viewer cannot pick its key
   * (or spend another address's budget) by sending its own header; the distribution's WAF counts it.
   * @default 'IP'
   */
  readonly rateLimitKey?: 'IP' | 'FORWARDED_IP';
  /**
   * How long WAF logs are kept.
   * @default one year
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Key that encrypts the WAF log group.
   * @default a new customer managed key with rotation
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * What happens to the log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * A CAPTCHA on the waiting room's join, `POST /api/events/<id>/queue`: the buyer page solves AWS WAF's
   * JavaScript CAPTCHA and sends its token (a fetch cannot show WAF's interstitial), so turn it on only with
   * the API's WAF_CAPTCHA_SCRIPT_URL and WAF_CAPTCHA_API_KEY set. @default false
   */
  readonly waitingRoomCaptcha?: boolean;
  /** Domains whose WAF tokens the ACL accepts besides the protected resource's own, e.g. the site's name. @default - the resource's domain only */
  readonly tokenDomains?: readonly string[];
}

/** The waiting room's join as the API routes it: case-insensitive, one optional trailing slash. */
export const WAITING_ROOM_JOIN_PATH = '^/api/events/[^/]+/queue/?$';
/** How long a solved CAPTCHA counts (WAF's default): a buyer who joins again within it is not asked twice. */
const CAPTCHA_IMMUNITY_SECONDS = 300;

const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
] as const;

/** X-Forwarded-For holds one address, the one the proxy wrote: WAF keys forwarded IPs by the first entry. */
const SINGLE_FORWARDED_ADDRESS: wafv2.CfnWebACL.StatementProperty = {
  regexMatchStatement: {
    fieldToMatch: { singleHeader: { Name: 'x-forwarded-for' } },
    regexString: '^[^,]+$',
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
};

function managedRule(name: string, priority: number): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        // Admin poster uploads exceed the common rule set's 8 KB body limit; count them instead of blocking.
        ruleActionOverrides: name === 'AWSManagedRulesCommonRuleSet' ? [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] : undefined,
      },
    },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
  };
}

/** CAPTCHA on POST to the waiting room's join; the path is URL-decoded and lowercased first, as the router matches it. */
function waitingRoomCaptchaRule(priority: number): wafv2.CfnWebACL.RuleProperty {
  return {
    name: 'WaitingRoomJoinCaptcha',
    priority,
    action: { captcha: {} },
    statement: {
      andStatement: {
        statements: [
          {
            byteMatchStatement: {
              fieldToMatch: { method: {} },
              positionalConstraint: 'EXACTLY',
              searchString: 'POST',
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          {
            regexMatchStatement: {
              fieldToMatch: { uriPath: {} },
              regexString: WAITING_ROOM_JOIN_PATH,
              textTransformations: [
                { priority: 0, type: 'URL_DECODE' },
                { priority: 1, type: 'LOWERCASE' },
              ],
            },
          },
        ],
      },
    },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'WaitingRoomJoinCaptcha', sampledRequestsEnabled: true },
  };
}

/** A WAFv2 web ACL with a per-IP rate-based rule, AWS managed rule groups and logging to CloudWatch Logs. */
export class WebAcl extends Construct {
  public readonly webAcl: wafv2.CfnWebACL;
  public readonly logGroup: logs.LogGroup;
  public readonly loggingConfiguration: wafv2.CfnLoggingConfiguration;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const rateLimit = props.rateLimitPer5Minutes ?? 2000;
    if (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000) {
      throw new Error(`WebAcl: rateLimitPer5Minutes ${rateLimit} is invalid; WAF accepts a whole number between 10 and 2000000000.`);
    }
    const metricName = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: props.scope,
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true },
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: props.rateLimitKey ?? 'IP',
              limit: rateLimit,
              forwardedIpConfig: props.rateLimitKey === 'FORWARDED_IP' ? { headerName: 'X-Forwarded-For', fallbackBehavior: 'MATCH' } : undefined,
              scopeDownStatement: props.rateLimitKey === 'FORWARDED_IP' ? SINGLE_FORWARDED_ADDRESS : undefined,
            },
          },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'RateLimitPerIp', sampledRequestsEnabled: true },
        },
        ...MANAGED_RULE_GROUPS.map((name, index) => managedRule(name, index + 1)),
        ...(props.waitingRoomCaptcha ? [waitingRoomCaptchaRule(MANAGED_RULE_GROUPS.length + 1)] : []),
      ],
      captchaConfig: props.waitingRoomCaptcha ? { immunityTimeProperty: { immunityTime: CAPTCHA_IMMUNITY_SECONDS } } : undefined,
      tokenDomains: props.tokenDomains?.length ? [...props.tokenDomains] : undefined,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // WAF only delivers to log groups whose name starts with aws-waf-logs-.
      logGroupName: `aws-waf-logs-${Names.uniqueResourceName(this, { maxLength: 400, separator: '-' })}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.logEncryptionKey ?? createLogEncryptionKey(this, 'LogKey'),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.loggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group ARN without the trailing `:*` that LogGroup.logGroupArn carries.
      logDestinationConfigs: [
        Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
      redactedFields: [{ singleHeader: { Name: 'cookie' } }, { singleHeader: { Name: 'authorization' } }],
    });
  }

  /** The web ACL's ARN, for a load balancer association or a CloudFront distribution. */
  public get arn(): string {
    return this.webAcl.attrArn;
  }
}
