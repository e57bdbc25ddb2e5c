import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../constructs/support/cdk-app.ts';

const eslint = new ESLint({ cwd: repositoryRoot });

/** The messages of the layering rules for `code` planted at `filePath` (the file need not exist). */
async function layeringMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

describe('the dependency rules, enforced by lint', () => {
  it.each([
    ['constructs/x.ts', "import { siteContentSecurityPolicy } from '../app/http/routes/site.ts';\nexport const x = siteContentSecurityPolicy;", /constructs\/ is an installable library/],
    ['constructs/nag/x.ts', "import { run } from '../../migrate/cli.ts';\nexport const x = run;", /never imports app\/, migrate\//],
    ['constructs/x.ts', "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\nexport const x = NodejsFunction;", /ships prebuilt in dist\//],
    ['app/x.ts', "import { App } from 'aws-cdk-lib';\nexport const x = App;", /never import the CDK/],
    ['migrate/mysql/x.ts', "import { Database } from '../../constructs/database.ts';\nexport const x = Database;", /never import the CDK, cdk-nag or constructs\//],
    ['app/services/x.ts', "import type { Construct } from 'constructs';\nexport type X = Construct;", /never import the CDK/],
    ['app/domain/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", /app\/domain\/ holds pure rules/],
    ['app/domain/x.ts', "import { Redis } from 'ioredis';\nexport const x = Redis;", /app\/domain\/ holds pure rules/],
    ['app/domain/x.ts', "import { listOrders } from '../infra/mysql/orders.ts';\nexport const x = listOrders;", /app\/domain\/ holds pure rules/],
    ['app/http/routes/x.ts', "import { listOrders } from '../../infra/mysql/orders.ts';\nexport const x = listOrders;", /never calls app\/infra\/ directly/],
    ['app/http/routes/x.ts', "import { App } from 'aws-cdk-lib';\nexport const x = App;", /never import the CDK/],
    ['migrate/progress/x.ts', "import type { CommandContext } from '../commands/command-module.ts';\nexport type X = CommandContext;", /layers below it .* never import it/],
    ['web/src/x.ts', "import { errors } from '../../app/errors.ts';\nexport const x = errors;", /from outside web\/ it imports types only/],
    ['web/src/views/x.ts', "import type { Order } from '../../../app/infra/mysql/orders.ts';\nexport type X = Order;", /never a storage layer's rows/],
    ['shared/x.ts', "import { z } from 'zod';\nexport const x = z;", /shared\/ is plain data/],
  ])('%s: refuses %s', async (filePath, code, message) => {
    const messages = await layeringMessages(filePath, code);
    expect(messages, code).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ['web/src/x.ts', "import type { Order } from '../../app/services/order-history.ts';\nexport type X = Order;"],
    ['app/http/routes/x.ts', "import { orderHistory } from '../../services/order-history.ts';\nexport const x = orderHistory;"],
    ['app/config-x.ts', "import { API_SETTINGS } from '../shared/api-settings.ts';\nexport const x = API_SETTINGS;"],
    ['constructs/x.ts', "import { API_SETTINGS } from '../shared/api-settings.ts';\nimport { App } from 'aws-cdk-lib';\nexport const x = [API_SETTINGS, App];"],
    ['app/domain/x.ts', "import { randomBytes } from 'node:crypto';\nexport const x = randomBytes;"],
  ])('%s: allows %s', async (filePath, code) => {
    expect(await layeringMessages(filePath, code)).toEqual([]);
  });

  it('holds for the repository as it is', async () => {
    const results = await eslint.lintFiles(['app', 'migrate', 'constructs', 'shared', 'web/src']);
    const broken = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => `${r.filePath}: ${m.message}`),
    );
    expect(broken).toEqual([]);
  });
});
