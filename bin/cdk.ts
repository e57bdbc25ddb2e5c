// The CDK app: `npx cdk synth -c env=prod` (or env=dev) builds that environment's stack under cdk-nag.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { ApiArtifact } from '../constructs/api-artifact.ts';
import { addNagPacks } from '../constructs/nag/packs.ts';
import { formatValidationSummary, readValidationSummary } from '../constructs/nag/validation-summary.ts';
import { readPlatformEnvironment } from '../constructs/platform-environment.ts';
import { describeRecords } from '../constructs/platform-domain.ts';
import { createPlatformStack } from '../constructs/create-platform-stack.ts';
import type { TicketingPlatformStack } from '../constructs/ticketing-platform-stack.ts';
import { ensureApiArtifact } from '../tools/api-artifact.ts';
import { ensureHandlers, repositoryHandlerDirectory } from '../constructs/build-handlers.mjs';
import { PREBUILT_HANDLERS_CONTEXT } from '../constructs/prebuilt-handler.ts';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
// CDK's built-in check of the templates against the CloudFormation resource schemas costs about 5 s of
// a 7 s synth; the platform tests run it on every committed environment, TICKETKIT_VALIDATE_TEMPLATES=1 here.
// The constructs run from source here: their custom resource handlers are bundled on demand (like the API
// artifact) and found through context, since tsx gives the sources no __dirname.
const app = new App({
  builtinCloudFormationValidation: process.env.TICKETKIT_VALIDATE_TEMPLATES === '1',
  context: { [PREBUILT_HANDLERS_CONTEXT]: repositoryHandlerDirectory },
});
const environmentName: unknown = app.node.tryGetContext('env');
if (typeof environmentName !== 'string' || environmentName === '') {
  console.error('Choose an environment: npx cdk synth -c env=prod (or -c env=dev).');
  process.exit(1);
}
let stack: TicketingPlatformStack;
try {
  // Rebuilt only when a source it was built from changed (the hash of its inputs); no npm at synth.
  const api = await ensureApiArtifact(repositoryRoot);
  await ensureHandlers();
  stack = createPlatformStack(app, readPlatformEnvironment(app.node, environmentName), {
    apiArtifact: ApiArtifact.fromDirectory(api.directory),
    // The buyer page, built by `npm ci` (prepare) into dist/web of the same checkout.
    siteDirectory: join(repositoryRoot, 'dist', 'web'),
  });
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
    const records = stack.platform.domain?.recordsToCreate ?? [];
    if (records.length) console.error(`\nNo hosted zone for ${stack.stackName}: after the deploy, create ${describeRecords(records)}.`);
  } catch {
    // No report: synthesis failed before validation ran; its own error says why.
  }
}
