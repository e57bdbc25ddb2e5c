/**
 * The common-password list of zxcvbn-ts (@zxcvbn-ts/language-common, MIT): about 49,000 passwords seen
 * most often in breaches, lower case. Loaded once, on first use (about 0.2 s and 10 MB of heap), then a
 * Set lookup per registration.
 */
let loading: Promise<ReadonlySet<string>> | undefined;

export function commonPasswords(): Promise<ReadonlySet<string>> {
  loading ??= import('@zxcvbn-ts/language-common').then((module) => {
    // Bundled (the API artifact), the package's CommonJS build arrives as the module's default export.
    const { dictionary } = 'dictionary' in module ? module : (module as unknown as { default: typeof module }).default;
    return new Set(dictionary['passwords-common']);
  });
  // A failed load is retried on the next call rather than remembered.
  loading.catch(() => (loading = undefined));
  return loading;
}
