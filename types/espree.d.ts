// espree (ESLint's parser) ships no types; the tests use it to check the CloudFront Function's syntax.
declare module 'espree' {
  export function parse(code: string, options: { ecmaVersion: number; sourceType: 'script' | 'module' }): unknown;
}
