import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { DatabaseProps } from './database.ts';
import { DEFAULT_PORTS, isProduction } from './platform-defaults.ts';

/** Defaults of {@link DatabaseProps}, in one place. */
export function databaseDefaults(props: DatabaseProps) {
  const production = isProduction(props);
  return {
    production,
    port: props.port ?? DEFAULT_PORTS.database,
    instanceType: props.instanceType ?? new ec2.InstanceType('r7g.large'),
    engineVersion: props.engineVersion ?? rds.MysqlEngineVersion.VER_8_4_10,
    engineLifecycleSupport: props.engineLifecycleSupport ?? rds.EngineLifecycleSupport.OPEN_SOURCE_RDS_EXTENDED_SUPPORT_DISABLED,
    databaseName: props.databaseName ?? 'ticketkit',
    username: props.username ?? 'ticketkit',
    apiUser: props.apiUser ?? 'ticketkit_api',
    multiAz: props.multiAz ?? production,
    allocatedStorageGiB: props.allocatedStorageGiB ?? 100,
    maxAllocatedStorageGiB: props.maxAllocatedStorageGiB ?? 1000,
    backupRetention: props.backupRetention ?? Duration.days(14),
    binlogRetentionHours: props.binlogRetentionHours ?? 24,
    deletionProtection: props.deletionProtection ?? production,
    rotationInterval: props.rotationInterval ?? Duration.days(30),
    readReplicas: props.readReplicas ?? 0,
    proxy: props.proxy ?? false,
    generalLog: props.generalLog ?? false,
    /** Kept out of generated passwords so they fit a URL, a shell and the rotation function unchanged. */
    excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\,=^',
  };
}

export type DatabaseSettings = ReturnType<typeof databaseDefaults>;

export function validateDatabase(settings: DatabaseSettings): void {
  if (settings.production && !settings.multiAz) {
    throw new Error('Database: multiAz false leaves production on one Availability Zone; keep multiAz true in production (or set production: false).');
  }
  if (settings.port === 3306 || !Number.isInteger(settings.port) || settings.port < 1150 || settings.port > 65_535) {
    throw new Error(`Database: port ${settings.port} is invalid; use a non-default port between 1150 and 65535 (e.g. ${DEFAULT_PORTS.database}).`);
  }
  const backupDays = settings.backupRetention.toDays();
  if (backupDays < 1 || backupDays > 35) {
    throw new Error(`Database: backupRetention of ${backupDays} days is invalid; RDS keeps 1-35 days and binlogs need backups on.`);
  }
  if (!Number.isInteger(settings.binlogRetentionHours) || settings.binlogRetentionHours < 1 || settings.binlogRetentionHours > 168) {
    throw new Error(`Database: binlogRetentionHours ${settings.binlogRetentionHours} is invalid; RDS accepts 1-168 hours.`);
  }
  if (!Number.isInteger(settings.readReplicas) || settings.readReplicas < 0 || settings.readReplicas > 5) {
    throw new Error(`Database: readReplicas ${settings.readReplicas} is invalid; use 0-5.`);
  }
  if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(settings.databaseName)) {
    throw new Error(`Database: databaseName "${settings.databaseName}" is invalid; start with a letter, then letters, digits or underscores.`);
  }
  // MySQL user names hold 32 characters; RDS Proxy's user is `<apiUser>_proxy`.
  if (!/^[A-Za-z0-9_]{1,26}$/.test(settings.apiUser) || settings.apiUser === settings.username) {
    throw new Error(`Database: apiUser "${settings.apiUser}" is invalid; use 1-26 letters, digits or underscores, other than the master username.`);
  }
  const rotationDays = settings.rotationInterval.toDays();
  if (rotationDays < 1 || rotationDays > 365) {
    throw new Error(`Database: rotationInterval of ${rotationDays} days is invalid; use 1-365 days.`);
  }
}
