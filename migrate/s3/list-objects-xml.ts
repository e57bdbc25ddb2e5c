/** One page of a ListObjectsV2 answer: the fields the poster sync uses. */
export interface ListingPage {
  readonly objects: { readonly key: string; readonly size: number; readonly etag: string }[];
  readonly isTruncated: boolean;
  readonly nextContinuationToken?: string;
}

/**
 * Reads a ListObjectsV2 XML body. Why by hand: the SDK's XML deserializer (and fast-xml-parser)
 * took 60-130 ms per 1,000-key page here, most of a nothing-to-do re-run; this scan takes a few ms.
 * S3 writes these elements without attributes, CDATA or nesting, so each is found by its tags;
 * anything else makes it throw, and the caller falls back to the SDK's parser.
 */
export function parseListObjectsV2(xml: string): ListingPage {
  if (!xml.includes('<ListBucketResult')) throw new Error('not a ListBucketResult document');
  if (xml.includes('<![CDATA[')) throw new Error('CDATA in a listing');
  const objects: { key: string; size: number; etag: string }[] = [];
  let at = xml.indexOf('<Contents>');
  while (at !== -1) {
    const end = xml.indexOf('</Contents>', at);
    if (end === -1) throw new Error('unterminated <Contents>');
    const entry = xml.slice(at + '<Contents>'.length, end);
    const key = element(entry, 'Key');
    const size = element(entry, 'Size');
    if (key === undefined || size === undefined || !/^\d+$/.test(size)) throw new Error('a <Contents> without Key or Size');
    objects.push({ key: decodeEntities(key), size: Number(size), etag: decodeEntities(element(entry, 'ETag') ?? '') });
    at = xml.indexOf('<Contents>', end);
  }
  // Top-level fields, read outside the <Contents> entries (an object key could spell a tag).
  const head = xml.slice(0, firstIndex(xml, '<Contents>'));
  const tail = xml.slice(xml.lastIndexOf('</Contents>') + 1);
  const field = (name: string) => element(head, name) ?? element(tail, name);
  const token = field('NextContinuationToken');
  return {
    objects,
    isTruncated: field('IsTruncated') === 'true',
    ...(token ? { nextContinuationToken: decodeEntities(token) } : {}),
  };
}

function firstIndex(text: string, search: string): number {
  const index = text.indexOf(search);
  return index === -1 ? text.length : index;
}

function element(text: string, name: string): string | undefined {
  const open = text.indexOf(`<${name}>`);
  if (open === -1) return text.includes(`<${name}/>`) ? '' : undefined;
  const start = open + name.length + 2;
  const close = text.indexOf(`</${name}>`, start);
  if (close === -1) throw new Error(`unterminated <${name}>`);
  return text.slice(start, close);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (match, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    const named = NAMED[entity];
    if (named === undefined) throw new Error(`unknown XML entity ${match}`);
    return named;
  });
}
