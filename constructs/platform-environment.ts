import type { Node } from 'constructs';
import { z } from 'zod';
import type { OnSaleWindow } from './on-sale-schedule.ts';

const onSaleWindowSchema = z.object({
  name: z.string(),
  startsAt: z.string(),
  durationMinutes: z.number(),
});

/** One deployment environment as committed in cdk.json under `ticketkit:environments`. */
const environmentSchema = z
  .object({
    account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region such as us-east-1'),
    maxAzs: z.number().int(),
    natGateways: z.number().int(),
    domainName: z.string().optional(),
    originDomainName: z.string().optional(),
    certificateArn: z.string().startsWith('arn:').optional(),
    /** Route 53 zone of domainName (with zoneName): certificates and records are created in it. */
    hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ').optional(),
    zoneName: z.string().optional(),
    instanceType: z.string(),
    minCapacity: z.number().int(),
    maxCapacity: z.number().int(),
    prewarmCapacity: z.number().int(),
    redisNodeType: z.string(),
    dbInstanceType: z.string(),
    readReplicas: z.number().int(),
    rdsProxy: z.boolean(),
    /** The cache as a replication group (default), in cluster mode (with cacheShards), or ElastiCache Serverless. */
    cacheDeployment: z.enum(['replication-group', 'serverless']).optional(),
    cacheClusterMode: z.boolean().optional(),
    cacheShards: z.number().int().min(1).max(500).optional(),
    allowedCountries: z.array(z.string()).optional(),
    /** AWS WAF's CAPTCHA JavaScript integration URL and API key (not secret): a CAPTCHA on the waiting room's join. */
    wafCaptchaScriptUrl: z.url({ protocol: /^https$/ }).optional(),
    wafCaptchaApiKey: z.string().min(1).optional(),
  })
  .strict()
  .refine((environment) => Boolean(environment.wafCaptchaScriptUrl) === Boolean(environment.wafCaptchaApiKey), {
    path: ['wafCaptchaApiKey'],
    message: 'goes with wafCaptchaScriptUrl: set both (from the WAF console, Application integration) or neither',
  })
  .refine((environment) => Boolean(environment.hostedZoneId) === Boolean(environment.zoneName), {
    path: ['zoneName'],
    message: 'goes with hostedZoneId: set both (the zone of domainName) or neither',
  });

export type PlatformEnvironment = z.output<typeof environmentSchema> & {
  readonly name: string;
  readonly production: boolean;
  readonly onSaleWindows: readonly OnSaleWindow[];
};

/**
 * Reads environment `name` (`prod` is the production one) and the on-sale windows from the app's
 * context. A bad value throws one line naming the key and what to do.
 */
export function readPlatformEnvironment(node: Node, name: string): PlatformEnvironment {
  const environments = (node.tryGetContext('ticketkit:environments') ?? {}) as Record<string, unknown>;
  if (!Object.hasOwn(environments, name)) {
    throw new Error(`Unknown environment "${name}"; pass -c env=${Object.keys(environments).join(' or -c env=') || '<name>'} (environments live in cdk.json under ticketkit:environments).`);
  }
  const parsed = environmentSchema.safeParse(environments[name]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`cdk.json ticketkit:environments.${name}.${issue.path.join('.')} ${issue.message}.`);
  }
  const windows = z.array(onSaleWindowSchema).safeParse(node.tryGetContext('ticketkit:onSaleWindows') ?? []);
  if (!windows.success) {
    const issue = windows.error.issues[0]!;
    throw new Error(`cdk.json ticketkit:onSaleWindows.${issue.path.join('.')} ${issue.message}; each window is { name, startsAt, durationMinutes }.`);
  }
  return { ...parsed.data, name, production: name === 'prod', onSaleWindows: windows.data };
}
