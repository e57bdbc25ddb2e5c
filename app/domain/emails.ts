import { domainToASCII } from 'node:url';

/**
 * Email addresses identify accounts. Internationalised addresses (RFC 6531: `bücher@exämple.de`,
 * `用户@例子.广告`) are accepted, which a plain ASCII email rule refuses.
 *
 * Every address is trimmed, lower-cased (as the platform always did, so existing accounts still match)
 * and stored in Unicode NFC, the domain as typed (not converted to or from punycode) except that
 * ideographic full stops become dots.
 */
/** Full stops that IDNA reads as label separators (`例子。广告`). */
const ideographicFullStop = /[\u3002\uFF0E\uFF61]/g;

export const normalizeEmail = (email: string) =>
  email.trim().toLowerCase().normalize('NFC').replace(ideographicFullStop, '.');

export type EmailProblem = 'format' | 'control_character' | 'too_long';
export type ParsedEmail = { ok: true; email: string } | { ok: false; problem: EmailProblem };

/** RFC 5321 limits, counted in UTF-8 bytes (RFC 6531). */
const maxLength = 254;
const maxLocalLength = 64;
const maxDomainLength = 253;
const maxLabelLength = 63;

/** Controls, format characters (bidi controls, zero-width characters), unpaired surrogates, private use, unassigned. */
const hidden = /[\p{C}\u2028\u2029]/u;
/** An unquoted local part (dot-atom): no spaces and none of the characters that need quoting. */
const localPartCharacter = /^[^\s\p{Z}()<>[\]\\,;:"@]+$/u;
const asciiLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

export function parseEmail(input: string): ParsedEmail {
  const email = normalizeEmail(input);
  if (hidden.test(email)) return { ok: false, problem: 'control_character' };
  if (bytes(email) > maxLength) return { ok: false, problem: 'too_long' };
  const at = email.indexOf('@');
  if (at < 1 || at !== email.lastIndexOf('@')) return { ok: false, problem: 'format' };
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (bytes(local) > maxLocalLength) return { ok: false, problem: 'too_long' };
  if (!localPartCharacter.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return { ok: false, problem: 'format' };
  }
  return domainIsValid(domain) ? { ok: true, email } : { ok: false, problem: 'format' };
}

/** A host name of two or more labels, checked in its ASCII (IDNA) form; no IP literals, no trailing dot. */
function domainIsValid(domain: string): boolean {
  if (!domain || domain.endsWith('.')) return false;
  const ascii = domainToASCII(domain);
  if (!ascii || ascii.length > maxDomainLength) return false;
  const labels = ascii.split('.');
  if (labels.length < 2 || labels.some((label) => label.length > maxLabelLength || !asciiLabel.test(label))) return false;
  // The top-level domain is never all digits (that would be an IPv4 address).
  return !/^\d+$/.test(labels[labels.length - 1]!);
}
