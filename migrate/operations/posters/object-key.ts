import path from 'node:path/posix';

/**
 * How object keys are built from a file's relative path.
 * - `hashed`: `<prefix><dir>/<name>.<sha256[0..16]><ext>`, content-addressed, so the object under a
 *   key never changes and a CDN may cache it forever; a changed file gets a new key and the old
 *   object keeps serving until its row is pointed at the new one (no broken-image window).
 * - `path`: `<prefix><relative path>`, same names as on disk; a changed file overwrites its object.
 */
export type KeyStyle = 'hashed' | 'path';

export const HASH_CHARS_IN_KEY = 16;

export function objectKeyFor(relativePath: string, sha256Hex: string, style: KeyStyle, prefix: string): string {
  if (style === 'path') return `${prefix}${relativePath}`;
  const ext = path.extname(relativePath);
  const stem = relativePath.slice(0, relativePath.length - ext.length);
  return `${prefix}${stem}.${sha256Hex.slice(0, HASH_CHARS_IN_KEY)}${ext}`;
}

/** Cache-Control matching the key style: immutable for content-addressed keys, revalidated otherwise. */
export function defaultCacheControl(style: KeyStyle): string {
  return style === 'hashed' ? 'public, max-age=31536000, immutable' : 'public, max-age=300';
}

/** `posters` and `posters/` both mean the folder; an empty prefix means the bucket root. */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}
