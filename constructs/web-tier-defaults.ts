import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DEFAULT_PORTS, isProduction } from './platform-defaults.ts';
import type { WebTierProps } from './web-tier.ts';

/** Defaults of {@link WebTierProps}, in one place. Caller props win; validation runs on the result. */
export function webTierDefaults(props: WebTierProps) {
  const production = isProduction(props);
  const minCapacity = props.minCapacity ?? 2;
  const maxCapacity = props.maxCapacity ?? 10;
  const instanceType = props.instanceType ?? new ec2.InstanceType('m7g.large');
  return {
    production,
    appPort: props.appPort ?? DEFAULT_PORTS.app,
    instanceType,
    machineImage:
      props.machineImage ??
      ec2.MachineImage.latestAmazonLinux2023({
        cpuType: instanceType.architecture === ec2.InstanceArchitecture.ARM_64 ? ec2.AmazonLinuxCpuType.ARM_64 : ec2.AmazonLinuxCpuType.X86_64,
      }),
    volumeSizeGiB: props.volumeSizeGiB ?? 20,
    minCapacity,
    maxCapacity,
    prewarmCapacity: props.prewarmCapacity ?? Math.max(minCapacity, Math.ceil(maxCapacity / 2)),
    prewarmLead: props.prewarmLead ?? Duration.minutes(30),
    onSaleWindows: props.onSaleWindows ?? [],
    requestsPerTargetPerMinute: props.requestsPerTargetPerMinute ?? 1000,
    healthCheckPath: props.healthCheckPath ?? '/readyz',
    deregistrationDelay: props.deregistrationDelay ?? Duration.seconds(30),
    instanceWarmup: props.instanceWarmup ?? Duration.minutes(5),
    readinessTimeout: props.readinessTimeout ?? Duration.minutes(15),
    rateLimitPer5Minutes: props.rateLimitPer5Minutes ?? 2000,
    deletionProtection: props.deletionProtection ?? production,
  };
}

export type WebTierSettings = ReturnType<typeof webTierDefaults>;

export function validateWebTier(settings: WebTierSettings, hasCertificate: boolean): void {
  const { minCapacity, maxCapacity, prewarmCapacity } = settings;
  if (settings.production && !hasCertificate) {
    throw new Error('WebTier: production serves HTTPS only; pass certificate (an ACM certificate for your domain), or set production: false for a plain-HTTP development tier.');
  }
  if (!Number.isInteger(minCapacity) || minCapacity < 1 || (settings.production && minCapacity < 2)) {
    throw new Error(`WebTier: minCapacity ${minCapacity} is invalid; use at least ${settings.production ? 2 : 1} so an instance loss ${settings.production ? 'keeps serving' : 'is recovered'}.`);
  }
  if (!Number.isInteger(maxCapacity) || maxCapacity < minCapacity) {
    throw new Error(`WebTier: maxCapacity ${maxCapacity} is below minCapacity ${minCapacity}; raise maxCapacity.`);
  }
  if (!Number.isInteger(prewarmCapacity) || prewarmCapacity < minCapacity || prewarmCapacity > maxCapacity) {
    throw new Error(`WebTier: prewarmCapacity ${prewarmCapacity} must lie between minCapacity ${minCapacity} and maxCapacity ${maxCapacity}.`);
  }
  if (!settings.healthCheckPath.startsWith('/')) {
    throw new Error(`WebTier: healthCheckPath "${settings.healthCheckPath}" must be an absolute path such as /readyz.`);
  }
  const delay = settings.deregistrationDelay.toSeconds();
  if (delay < 0 || delay > 3600) {
    throw new Error(`WebTier: deregistrationDelay ${delay}s is invalid; use 0-3600 s, a little longer than the app's graceful shutdown.`);
  }
  const readiness = settings.readinessTimeout.toSeconds();
  if (readiness < 60 || readiness > 3600) {
    throw new Error(`WebTier: readinessTimeout ${readiness}s is invalid; use 1-60 minutes, longer than an instance needs to boot and pass its health check.`);
  }
  if (settings.requestsPerTargetPerMinute < 1) {
    throw new Error(`WebTier: requestsPerTargetPerMinute ${settings.requestsPerTargetPerMinute} is invalid; use a positive number measured in a load test.`);
  }
}
