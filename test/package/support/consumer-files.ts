/**
 * The files a platform team writes in a fresh `cdk init app --language typescript` project to use the
 * package: a stack (lib/), its CDK app (bin/), a jest test (test/), and two plain Node entries, one
 * CommonJS and one ES module, that synthesise the same stack. Each entry synthesises under the four
 * cdk-nag packs and prints the number of open findings.
 */
export const consumerFiles: Record<string, string> = {
  'lib/ledger-stack.ts': `import * as cdk from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { Database, ThreeTierNetwork } from '@ticketkit/constructs';

export class LedgerStack extends cdk.Stack {
  public readonly database: Database;

  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const network = new ThreeTierNetwork(this, 'Network', { production: false });
    this.database = new Database(this, 'Database', {
      vpc: network.vpc,
      production: false,
      securityGroup: network.databaseSecurityGroup,
      port: network.databasePort,
      readReplicas: 1,
      proxy: true,
    });
  }
}
`,
  'bin/ledger.ts': `#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib/core';
import { addNagPacks, readValidationSummary } from '@ticketkit/constructs';
import { LedgerStack } from '../lib/ledger-stack';

const app = new cdk.App();
new LedgerStack(app, 'LedgerStack', { env: { account: '123456789012', region: 'eu-west-1' } });
addNagPacks(app);
app.synth();
const open = readValidationSummary(app.outdir).flatMap((summary) => summary.unacknowledged);
console.log(JSON.stringify({ entry: 'typescript', open }));
`,
  'bin/ledger-require.cjs': `// Plain Node, CommonJS: require() the package.
const { App, Stack } = require('aws-cdk-lib');
const { Database, ThreeTierNetwork, addNagPacks, readValidationSummary } = require('@ticketkit/constructs');

const app = new App();
const stack = new Stack(app, 'Required', { env: { account: '123456789012', region: 'eu-west-1' } });
const network = new ThreeTierNetwork(stack, 'Network');
new Database(stack, 'Database', { vpc: network.vpc, securityGroup: network.databaseSecurityGroup, port: network.databasePort });
addNagPacks(app);
app.synth();
console.log(JSON.stringify({ entry: 'commonjs', open: readValidationSummary(app.outdir).flatMap((s) => s.unacknowledged) }));
`,
  'bin/ledger-import.mjs': `// Plain Node, ES module: named imports from the package.
import { App, Stack } from 'aws-cdk-lib';
import { Database, ThreeTierNetwork, addNagPacks, readValidationSummary } from '@ticketkit/constructs';

const app = new App();
const stack = new Stack(app, 'Imported', { env: { account: '123456789012', region: 'eu-west-1' } });
const network = new ThreeTierNetwork(stack, 'Network');
new Database(stack, 'Database', { vpc: network.vpc, securityGroup: network.databaseSecurityGroup, port: network.databasePort });
addNagPacks(app);
app.synth();
console.log(JSON.stringify({ entry: 'esm', open: readValidationSummary(app.outdir).flatMap((s) => s.unacknowledged) }));
`,
  'lib/esm-usage.mts': `// An ES module in the TypeScript project: named imports type-check against the package's declarations.
import { Database, ThreeTierNetwork, type DatabaseProps } from '@ticketkit/constructs';

export const constructs: [typeof Database, typeof ThreeTierNetwork] = [Database, ThreeTierNetwork];
export const props: Partial<DatabaseProps> = { readReplicas: 1 };
`,
  'test/ledger.test.ts': `import * as cdk from 'aws-cdk-lib/core';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { addNagPacks, readValidationSummary } from '@ticketkit/constructs';
import { LedgerStack } from '../lib/ledger-stack';

test('the ledger is MySQL 8.4 behind RDS Proxy, with no open cdk-nag finding', () => {
  const app = new cdk.App();
  const stack = new LedgerStack(app, 'MyTestStack', { env: { account: '123456789012', region: 'eu-west-1' } });
  addNagPacks(app);
  app.synth();
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::RDS::DBInstance', { Engine: 'mysql', EngineVersion: Match.stringLikeRegexp('^8\\\\.4\\\\.') });
  template.hasResourceProperties('AWS::RDS::DBProxy', { EngineFamily: 'MYSQL', RequireTLS: true });
  expect(readValidationSummary(app.outdir).flatMap((summary) => summary.unacknowledged)).toEqual([]);
});
`,
};

/** What `ec2.Vpc.fromLookup(stack, 'Vpc', { vpcId: 'vpc-0abc1234def567890' })` in 123456789012 / eu-west-1 finds, as cdk.context.json would hold it. */
export const readmeVpcLookup = {
  'vpc-provider:account=123456789012:filter.vpc-id=vpc-0abc1234def567890:region=eu-west-1:returnAsymmetricSubnets=true': {
    vpcId: 'vpc-0abc1234def567890',
    vpcCidrBlock: '10.0.0.0/16',
    ownerAccountId: '123456789012',
    availabilityZones: [],
    subnetGroups: [
      { name: 'app', type: 'Private', subnets: subnets('eu-west-1', 0) },
      { name: 'data', type: 'Isolated', subnets: subnets('eu-west-1', 8) },
    ],
  },
};

function subnets(region: string, offset: number): { subnetId: string; cidr: string; availabilityZone: string; routeTableId: string }[] {
  return ['a', 'b'].map((zone, index) => ({
    subnetId: `subnet-0${zone}${offset}f1e2d3c4b5a697`,
    cidr: `10.0.${offset + index}.0/24`,
    availabilityZone: `${region}${zone}`,
    routeTableId: `rtb-0${zone}${offset}f1e2d3c4b5a697`,
  }));
}
