import { RemovalPolicy } from 'aws-cdk-lib';
import { API_SETTINGS } from '../shared/api-settings.ts';

/**
 * The ports the tiers talk on unless a prop says otherwise: the API's own default port, and
 * non-default MySQL and Redis ports (the well-known ones are what scanners try first).
 */
export const DEFAULT_PORTS = {
  app: API_SETTINGS.PORT.default,
  database: 3307,
  cache: 6380,
} as const;

/** Every construct's `production` switch: production unless the caller says otherwise. */
export function isProduction(props: { readonly production?: boolean }): boolean {
  return props.production ?? true;
}

/**
 * What deleting the stack does to a stateful resource: production keeps it (`kept`, RETAIN unless the
 * resource can leave a snapshot instead), development removes it so a test stack leaves nothing behind.
 */
export function removalPolicyFor(production: boolean, kept: RemovalPolicy = RemovalPolicy.RETAIN): RemovalPolicy {
  return production ? kept : RemovalPolicy.DESTROY;
}
