import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', 'coverage/', '.local/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // migrate/ is layered: commands -> report -> operations -> state -> adapters (mysql, s3, local, retry,
  // progress). An import that runs back up the layers fails the lint.
  ...migrateLayers([
    { files: ['migrate/report/**'], above: ['commands'] },
    { files: ['migrate/operations/**'], above: ['commands', 'report'] },
    { files: ['migrate/state/**'], above: ['commands', 'report', 'operations'] },
    { files: ['migrate/mysql/**', 'migrate/s3/**', 'migrate/local/**', 'migrate/retry/**', 'migrate/progress/**'], above: ['commands', 'report', 'operations', 'state'] },
  ]),
  {
    // The extensionless executables in bin/ are ESM JavaScript shims; tools/ holds plain-JS build scripts.
    files: ['bin/*', 'tools/*.mjs'],
    ignores: ['bin/*.ts'],
    languageOptions: { sourceType: 'module', globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
