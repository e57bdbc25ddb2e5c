import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The dependency rules of STYLE.md, as lint rules. `allowTypeImports` lets a folder borrow a type
// (erased at build) where it may not run code. Flat config replaces a rule per file rather than merging
// it, so a narrower folder lists every group that applies to it.
const cdk = {
  group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'constructs/*', 'cdk-nag', '**/constructs/**'],
  message: 'app/ and migrate/ run on servers and laptops: they never import the CDK, cdk-nag or constructs/ (shared settings live in shared/).',
};
const appOrMigrate = {
  group: ['**/app/**', '**/migrate/**', '**/bin/**', '**/web/**'],
  message: 'constructs/ is an installable library: it never imports app/, migrate/, bin/ or web/ (shared settings live in shared/).',
};
const bundlingAtSynth = {
  group: ['aws-cdk-lib/aws-lambda-nodejs', 'aws-cdk-lib/aws-lambda-python*', 'esbuild'],
  message: "Lambda code of the package's custom resources ships prebuilt in dist/ (lambda.Code.fromAsset): a consumer's synth never runs esbuild, npm or Docker.",
};
const io = {
  group: ['fs', 'fs/*', 'node:fs', 'node:fs/*', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'http2', 'node:http2', 'dgram', 'node:dgram', 'child_process', 'node:child_process', 'mysql2', 'mysql2/*', 'ioredis', '@aws-sdk/*', 'koa', '@koa/*', '**/infra/**', '**/http/**', '**/services/**'],
  message: 'app/domain/ holds pure rules: no files, sockets, MySQL, Redis, S3 or HTTP; a use case in app/services/ does the I/O and passes results in.',
};
const infraFromRoutes = {
  group: ['**/infra/**'],
  message: 'A route parses, authorises, calls one use case in app/services/ and presents; it never calls app/infra/ directly.',
};
const commandsFromBelow = {
  group: ['**/commands/**'],
  message: 'migrate/commands/ sits on top: the layers below it (progress, operations, mysql, state, report) never import it.',
};
const outsideWeb = {
  // app/infra/ is left to the next group: a type-only import matching this group would pass.
  group: ['**/app/*', '!**/app/infra', '**/migrate/**', '**/constructs/**', '**/shared/**', '**/bin/**'],
  allowTypeImports: true,
  message: 'The buyer page is bundled alone: from outside web/ it imports types only (`import type`).',
};
const storageTypesFromWeb = {
  group: ['**/app/infra/**'],
  message: "The page's types are the API's answers (app/services/ or app/http/), never a storage layer's rows.",
};
const restrict = (...patterns) => ({ '@typescript-eslint/no-restricted-imports': ['error', { patterns }] });

export const layering = [
  { files: ['app/**/*.ts', 'migrate/**/*.ts'], rules: restrict(cdk) },
  { files: ['app/domain/**/*.ts'], rules: restrict(cdk, io) },
  { files: ['app/http/routes/**/*.ts'], rules: restrict(cdk, infraFromRoutes) },
  { files: ['migrate/{progress,operations,mysql,state,report}/**/*.ts'], rules: restrict(cdk, commandsFromBelow) },
  { files: ['constructs/**/*.ts'], rules: restrict(appOrMigrate, bundlingAtSynth) },
  { files: ['web/src/**/*.ts'], rules: restrict(outsideWeb, storageTypesFromWeb) },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['ImportDeclaration', 'ExportAllDeclaration', 'ExportNamedDeclaration[source]', 'ImportExpression'].map((selector) => ({
          selector,
          message: 'shared/ is plain data that app/ and constructs/ both read: it imports nothing.',
        })),
      ],
    },
  },
];

/** One no-restricted-imports rule per layer of migrate/: none of the folders above it may be imported. */
function migrateLayers(layers) {
  return layers.map(({ files, above }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: above.map((folder) => ({
            group: [`**/${folder}/**`],
            message: `migrate/ is layered (commands -> report -> operations -> state -> adapters): this folder may not import ${folder}/.`,
          })),
        },
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', 'coverage/', '.local/', '**/*.d.ts', 'constructs/dist/', 'constructs/prebuilt/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  ...layering,
  // migrate/ is layered: commands -> report -> operations -> state -> adapters (mysql, s3, local, retry,
  // progress). An import that runs back up the layers fails the lint.
  ...migrateLayers([
    { files: ['migrate/report/**'], above: ['commands'] },
    { files: ['migrate/operations/**'], above: ['commands', 'report'] },
    { files: ['migrate/state/**'], above: ['commands', 'report', 'operations'] },
    { files: ['migrate/mysql/**', 'migrate/s3/**', 'migrate/local/**', 'migrate/retry/**', 'migrate/progress/**'], above: ['commands', 'report', 'operations', 'state'] },
  ]),
  {
    // The extensionless executables in bin/ are ESM JavaScript shims; tools/ and constructs/build.mjs are plain-JS build scripts.
    files: ['bin/*', 'tools/*.mjs', 'constructs/*.mjs'],
    ignores: ['bin/*.ts'],
    languageOptions: { sourceType: 'module', globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // The CloudFront Function's entry: build.ts puts the waiting-room core (whose functions it calls) inside it,
    // and CloudFront calls `handler`.
    files: ['edge/waiting-room/handler.js'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        require: 'readonly', gatedRequest: 'readonly', roomActive: 'readonly', admissionCookieName: 'readonly', readAdmission: 'readonly',
        queueRequiredBody: 'readonly', placeCookieName: 'readonly', readPlace: 'readonly', waitingView: 'readonly', estimateAhead: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^handler$', caughtErrors: 'none' }], '@typescript-eslint/no-require-imports': 'off' },
  },
);
