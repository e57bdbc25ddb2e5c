// The CDK app: `npx cdk synth -c env=prod` (or env=dev) builds that environment's stack under cdk-nag.
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { addNagPacks } from '../constructs/nag/packs.ts';
import { formatValidationSummary, readValidationSummary } from '../constructs/nag/validation-summary.ts';
import { readPlatformEnvironment } from '../constructs/platform-environment.ts';
import { createPlatformStack } from '../constructs/ticketing-platform-stack.ts';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
const app = new App();
const environmentName: unknown = app.node.tryGetContext('env');
if (typeof environmentName !== 'string' || environmentName === '') {
  console.error('Choose an environment: npx cdk synth -c env=prod (or -c env=dev).');
  process.exit(1);
}
try {
  createPlatformStack(app, readPlatformEnvironment(app.node, environmentName), repositoryRoot);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
addNagPacks(app);
try {
  app.synth();
} finally {
  try {
    console.error(`\ncdk-nag summary (${environmentName}):\n${formatValidationSummary(readValidationSummary(app.outdir))}`);
  } catch {
    // No report: synthesis failed before validation ran; its own error says why.
  }
}
