import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as s3assets from 'aws-cdk-lib/aws-s3-assets';

/** Everything the boot script needs; secrets are passed by ARN and read on the instance, never inlined. */
export interface ApiBootOptions {
  /** The API artifact (see ApiArtifact): unpacked, it starts with `node bin/api`. */
  readonly bundle: s3assets.Asset;
  readonly region: string;
  /**
   * Plain settings written into the systemd unit (no secrets), DATABASE_URL and REDIS_URL among them: the
   * API signs in to MySQL with RDS IAM tokens of the instance role and reads its Redis user's password
   * from REDIS_SECRET_ARN itself, at each new connection, so rotations need no restart.
   */
  readonly environment: Readonly<Record<string, string>>;
  readonly sessionKeysSecretArn: string;
  readonly adminPasswordSecretArn: string;
  /** The secret read into WAITING_ROOM_TOKEN_KEYS. @default - none: the API derives the room's keys from SESSION_KEYS */
  readonly waitingRoomTokenKeysSecretArn?: string;
  readonly logGroupName: string;
  /** The port the API listens on: the boot waits for `readinessPath` there. */
  readonly port: number;
  /** @default '/readyz' */
  readonly readinessPath?: string;
  /** How long the boot waits for the API to answer 200 before it fails (and so signals failure). @default 600 */
  readonly readyWithinSeconds?: number;
  /** Node.js major version installed from the Amazon Linux 2023 repositories (`nodejs<N>`). @default 22 */
  readonly nodeMajorVersion?: number;
}

const HOME = '/opt/ticketkit';
const APP = `${HOME}/app`;
const ENV_FILE = '/run/ticketkit/env';

/** The names of the variables resolved from secrets at start, never in the template (the last one when its secret is given). */
export const SECRET_VARIABLES = ['SESSION_KEYS', 'ADMIN_PASSWORD', 'WAITING_ROOM_TOKEN_KEYS'] as const;

/**
 * Appends the API's boot steps to `userData`: install Node (no npm: the artifact carries its dependencies)
 * and cfn-signal, unpack the artifact, a root-only script that resolves secrets into a tmpfs env file before
 * each start, a hardened systemd unit running `node bin/api` that never stops restarting, the CloudWatch
 * agent shipping its log, and last a bounded wait for the API's readiness: the script's exit code is what
 * the instance signals to CloudFormation (see WebTier `userData`).
 */
export function addApiBootCommands(userData: ec2.UserData, options: ApiBootOptions): void {
  const node = `/usr/bin/node-${nodeMajorVersion(options)}`;
  userData.addCommands(
    'set -euo pipefail',
    `dnf install -y nodejs${nodeMajorVersion(options)} jq unzip amazon-cloudwatch-agent aws-cfn-bootstrap`,
    `test -x ${node}`,
    `id ticketkit >/dev/null 2>&1 || useradd --system --home-dir ${HOME} --shell /sbin/nologin ticketkit`,
    `mkdir -p ${HOME} /var/log/ticketkit && chown ticketkit /var/log/ticketkit`,
  );
  const zip = userData.addS3DownloadCommand({ bucket: options.bundle.bucket, bucketKey: options.bundle.s3ObjectKey, localFile: `${HOME}/api.zip`, region: options.region });
  userData.addCommands(
    `rm -rf ${APP} && mkdir -p ${APP} && unzip -q ${zip} -d ${APP}`,
    ...writeFile(`${HOME}/resolve-env.sh`, resolveEnvScript(options), '0700'),
    ...writeFile('/etc/systemd/system/ticketkit-api.service', systemdUnit(options.environment, node), '0644'),
    ...writeFile('/opt/aws/amazon-cloudwatch-agent/etc/ticketkit.json', cloudWatchAgentConfig(options.logGroupName), '0644'),
    ...writeFile('/etc/logrotate.d/ticketkit', '/var/log/ticketkit/*.log {\n  daily\n  rotate 3\n  compress\n  copytruncate\n  missingok\n}', '0644'),
    '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/ticketkit.json',
    'systemctl daemon-reload',
    'systemctl enable --now ticketkit-api.service',
  );
  userData.addCommands(...waitForReadiness(options));
}

/** Polls the API until it answers 200 (exit 0) or the time is up (exit 1): the instance's signal. */
function waitForReadiness(options: ApiBootOptions): string[] {
  const url = `http://127.0.0.1:${options.port}${options.readinessPath ?? '/readyz'}`;
  const seconds = options.readyWithinSeconds ?? 600;
  return [
    `deadline=$((SECONDS + ${seconds}))`,
    `until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 ${url})" = 200 ]; do`,
    `  if [ $SECONDS -ge $deadline ]; then echo "ticketkit: ${url} not ready within ${seconds} s" >&2; journalctl -u ticketkit-api --no-pager -n 50 >&2 || true; exit 1; fi`,
    '  sleep 2',
    'done',
    `echo "ticketkit: ready at ${url}"`,
  ];
}

function nodeMajorVersion(options: ApiBootOptions): number {
  const version = options.nodeMajorVersion ?? 22;
  if (!Number.isInteger(version) || version < 20) {
    throw new Error(`nodeMajorVersion ${version} is invalid; use a major version Amazon Linux 2023 packages as nodejs<N> (20 and later), e.g. 22.`);
  }
  return version;
}

function writeFile(path: string, content: string, mode: string): string[] {
  return [`cat > ${path} <<'TICKETKIT_EOF'`, content, 'TICKETKIT_EOF', `chmod ${mode} ${path}`];
}

function resolveEnvScript(o: ApiBootOptions): string {
  const secret = (arn: string) => `aws secretsmanager get-secret-value --region ${o.region} --secret-id ${arn} --query SecretString --output text`;
  return [
    '#!/bin/bash',
    '# Runs as root before every start: secrets are read now (so rotations apply on restart) into tmpfs.',
    'set -euo pipefail',
    'umask 077',
    'mkdir -p /run/ticketkit',
    `session_keys=$(${secret(o.sessionKeysSecretArn)})`,
    `admin_password=$(${secret(o.adminPasswordSecretArn)})`,
    ...(o.waitingRoomTokenKeysSecretArn ? [`waiting_room_token_keys=$(${secret(o.waitingRoomTokenKeysSecretArn)})`] : []),
    `cat > ${ENV_FILE}.next <<ENV`,
    'SESSION_KEYS="$session_keys"',
    'ADMIN_PASSWORD="$admin_password"',
    ...(o.waitingRoomTokenKeysSecretArn ? ['WAITING_ROOM_TOKEN_KEYS="$waiting_room_token_keys"'] : []),
    'ENV',
    `mv ${ENV_FILE}.next ${ENV_FILE}`,
  ].join('\n');
}

function systemdUnit(environment: Readonly<Record<string, string>>, node: string): string {
  return [
    '[Unit]',
    'Description=ticketkit API',
    'Wants=network-online.target',
    'After=network-online.target',
    // Never give up restarting: systemd's default start limit (5 starts in 10 s) would stop it for good.
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'User=ticketkit',
    `WorkingDirectory=${APP}`,
    // `+`: resolve secrets with root's instance credentials; the env file is read before ExecStart.
    `ExecStartPre=+${HOME}/resolve-env.sh`,
    `EnvironmentFile=-${ENV_FILE}`,
    ...Object.entries(environment).map(([name, value]) => `Environment="${name}=${value}"`),
    `ExecStart=${node} ${APP}/bin/api`,
    'Restart=always',
    'RestartSec=2',
    // The API drains in-flight requests within 25 s of SIGTERM; the target group waits 30 s.
    'KillSignal=SIGTERM',
    'TimeoutStopSec=30',
    'StandardOutput=append:/var/log/ticketkit/api.log',
    'StandardError=inherit',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=yes',
    'PrivateTmp=yes',
    'ReadWritePaths=/var/log/ticketkit',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
  ].join('\n');
}

function cloudWatchAgentConfig(logGroupName: string): string {
  return JSON.stringify({
    logs: { logs_collected: { files: { collect_list: [{ file_path: '/var/log/ticketkit/api.log', log_group_name: logGroupName, log_stream_name: '{instance_id}' }] } } },
  });
}
