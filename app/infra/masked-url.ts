/** The URL with its password replaced by `***`: connection URLs carry credentials, messages must not. */
export function maskedUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.href;
  } catch {
    return '(not a URL)';
  }
}
