import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge, complianceRules, nagRule } from './nag/acknowledge.ts';
import { waitingRoomFunctionCode } from './waiting-room-function-code.ts';

/**
 * The paths whose viewer requests the waiting room's function sees: the inventory (seat map, holds, purchases)
 * and the queue (join, status polls). It passes every other request of these paths untouched.
 */
export const WAITING_ROOM_PATH_PATTERNS = ['/api/events/*', '/api/holds/*'] as const;

/** The API's metrics namespace when METRICS_NAMESPACE is unset (app/config.ts). */
const API_METRICS_NAMESPACE = 'Ticketkit';
/** CloudFront refuses function code over 10 KB. */
export const FUNCTION_CODE_LIMIT_BYTES = 10_240;

export interface WaitingRoomProps {
  /** Key that encrypts the token keys secret. @default a new key with rotation */
  readonly encryptionKey?: kms.IKey;
  /** What deleting the stack does to the token keys secret. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** The API's METRICS_NAMESPACE, which the stall alarm reads. @default 'Ticketkit' (the API's default) */
  readonly metricsNamespace?: string;
  /**
   * Minutes a room may keep buyers waiting after its on-sale without reaching one place before the stall
   * alarm fires (the API's `QueueStalledSeconds`). Keep it above the longest legitimate pause: all
   * `maxActive` admissions held for a whole hold, or a rate under one buyer per this many minutes.
   * @default 10
   */
  readonly stallAlarmMinutes?: number;
  /** SNS topic the stall alarm notifies (on alarm and on recovery). @default - none: the alarm shows in the console only */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * The AWS side of the virtual waiting room (docs/waiting-room.md): a CloudFront KeyValueStore the API's publisher
 * writes the rooms' "now serving" records and the token keys to; the viewer-request CloudFront Function
 * (cloudfront-js-2.0, prebuilt in the package) that reads it, refuses inventory requests without an admission and
 * answers waiting buyers' polls at the edge; the secret holding the keys that sign places and admissions; and an
 * alarm on admission stalling. Associate `function` with the distribution's behaviours for
 * WAITING_ROOM_PATH_PATTERNS (PosterCdn `waitingRoomFunction`), grant the API `DescribeKeyValueStore` and
 * `UpdateKeys` on `store` (AppInstancePolicy `keyValueStores`) and give it `apiEnvironment` and the secret.
 */
export class WaitingRoom extends Construct {
  public readonly store: cloudfront.KeyValueStore;
  public readonly function: cloudfront.Function;
  /** WAITING_ROOM_TOKEN_KEYS of the API: comma-separated, the first signs, any verifies. */
  public readonly tokenKeys: secretsmanager.Secret;
  public readonly encryptionKey: kms.IKey;
  /** In alarm while a room keeps buyers waiting after its on-sale and reaches no place for `stallAlarmMinutes`. */
  public readonly stallAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: WaitingRoomProps = {}) {
    super(scope, id);
    const stallMinutes = props.stallAlarmMinutes ?? 10;
    if (!Number.isInteger(stallMinutes) || stallMinutes < 1 || stallMinutes > 180) {
      // Metrics Insights alarms evaluate the last 3 hours at most.
      throw new Error(`WaitingRoom: stallAlarmMinutes ${stallMinutes} is invalid; use a whole number of minutes between 1 and 180.`);
    }
    this.store = new cloudfront.KeyValueStore(this, 'Store', { comment: 'Waiting rooms: records and token keys the API publishes for the edge' });
    this.function = new cloudfront.Function(this, 'Function', {
      comment: 'Waiting room: admission check on the inventory, queue polls answered from the watermark',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      keyValueStore: this.store,
      code: cloudfront.FunctionCode.fromInline(functionCode()),
    });

    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Encrypts ${this.node.path} token keys` });
    // The edge cannot read Secrets Manager: the API publishes these keys into the store (`room.keys`), so the
    // template and the function's code hold no key, and whoever may read the store's keys is IAM's to decide.
    this.tokenKeys = new secretsmanager.Secret(this, 'TokenKeys', {
      description: 'WAITING_ROOM_TOKEN_KEYS of the API: comma-separated, newest first, each 32+ characters; the API publishes them to the waiting-room KeyValueStore for the edge',
      encryptionKey: this.encryptionKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.tokenKeys,
      [nagRule('AwsSolutions', 'SMG4'), ...complianceRules('SecretsManagerRotationEnabled', ['NIST.800.53.R5', 'HIPAA.Security'])],
      'Waiting-room keys rotate by prepending a new key (places and admissions signed with the old one stay valid until they expire), then restarting the API, which republishes them to the edge; a Lambda rotation replacing the value would void every queued place.',
    );

    this.stallAlarm = new cloudwatch.Alarm(this, 'StallAlarm', {
      // Named like the monitoring construct's alarms, so an operator finds it among them.
      alarmName: `${Stack.of(this).stackName}-WaitingRoom-Stalled`,
      alarmDescription: `A waiting room has kept buyers waiting after its on-sale for ${stallMinutes} minutes without admitting anyone: check the API's publisher and Redis, and the room's rate and maxActive (GET /api/admin/events/<id>/waiting-room).`,
      metric: new cloudwatch.MathExpression({
        // The longest stall of any room (one time series per event): the API writes the gauge per event.
        expression: `SELECT MAX(QueueStalledSeconds) FROM SCHEMA("${props.metricsNamespace ?? API_METRICS_NAMESPACE}", EventId)`,
        period: Duration.minutes(1),
        label: 'Longest admission stall of any room (s)',
      }),
      threshold: stallMinutes * 60,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No gauge means no room has buyers waiting: not a stall.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) {
      this.stallAlarm.addAlarmAction(new cloudwatchActions.SnsAction(props.alarmTopic));
      this.stallAlarm.addOkAction(new cloudwatchActions.SnsAction(props.alarmTopic));
    } else {
      acknowledge(
        this.stallAlarm,
        complianceRules('CloudWatchAlarmAction', ['NIST.800.53.R5', 'HIPAA.Security']),
        'No alarmTopic was given to WaitingRoom: the stall alarm is shown in the console and on dashboards; pass alarmTopic to be notified.',
      );
    }
  }

  /** The API's plain variables for the room: the store its publisher writes. */
  public get apiEnvironment(): Record<string, string> {
    return { WAITING_ROOM_KVS_ARN: this.store.keyValueStoreArn };
  }
}

function functionCode(): string {
  const code = waitingRoomFunctionCode();
  const size = Buffer.byteLength(code);
  if (size > FUNCTION_CODE_LIMIT_BYTES) throw new Error(`WaitingRoom: the function code is ${size} bytes; CloudFront allows ${FUNCTION_CODE_LIMIT_BYTES}. Shrink edge/waiting-room/ and rebuild.`);
  return code;
}
