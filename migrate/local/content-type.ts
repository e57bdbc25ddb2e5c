/** What a CDN should send when the bytes are not a type we recognise. */
export const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

/** Bytes of a file's start that the sniffer needs (file-type reads at most this many). */
export const SNIFF_BYTES = 4100;

const SVG_START = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i;

/**
 * Content-Type from the file's real bytes, never its extension (a `.jpg` that is a PNG is served as
 * image/png). file-type is loaded on first use so a run with nothing to upload never pays for it.
 */
export async function sniffContentType(head: Uint8Array): Promise<string> {
  if (head.length === 0) return FALLBACK_CONTENT_TYPE;
  // SVG is XML text: file-type would call it application/xml.
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 1024)).toString('utf8');
  if (SVG_START.test(text)) return 'image/svg+xml';
  const { fileTypeFromBuffer } = await import('file-type');
  const detected = await fileTypeFromBuffer(head);
  return detected?.mime ?? FALLBACK_CONTENT_TYPE;
}
