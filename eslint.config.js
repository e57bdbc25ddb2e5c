import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  {
    // The extensionless executables in bin/ are ESM JavaScript shims; tools/ holds plain-JS build scripts.
    files: ['bin/*', 'tools/*.mjs'],
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
