/**
 * A buyer's display name, shown back to them ("Signed in as …") and to organizers. Stored in Unicode NFC
 * and trimmed. Refused:
 * - control characters: C0 (NUL, TAB, LF, CR, ESC, …), DEL, C1, the line and paragraph separators, and
 *   unpaired surrogates;
 * - bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which reorder the text
 *   around them ("Trojan Source");
 * - names with nothing visible: only spaces, zero-width or other default-ignorable characters, combining
 *   marks on nothing, or blank symbols (U+2800, the Hangul fillers).
 * Zero-width joiners and non-joiners inside a name are kept: emoji sequences and Persian or Indic names need them.
 */
export type NameProblem = 'control_character' | 'bidi_control' | 'invisible' | 'too_long';

export const maxNameLength = 255;

// The character classes of the rules, shared by the checks below and the pattern the API's schema states.
const controlClass = '\\p{Cc}\\p{Cs}\\u2028\\u2029';
const bidiClass = '\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
const invisibleClass = '\\p{White_Space}\\p{Default_Ignorable_Code_Point}\\p{M}\\p{Cf}\\u2800\\u3164\\uFFA0\\u115F\\u1160';

const controlCharacter = new RegExp(`[${controlClass}]`, 'u');
const bidiControl = new RegExp(`[${bidiClass}]`, 'u');
const invisible = new RegExp(`[${invisibleClass}]`, 'gu');

/**
 * The rules as one JSON Schema pattern (ECMA-262 with `u`, no look-around): no control or bidirectional
 * character anywhere, and at least one visible character. A name it allows is a name `parseName` accepts.
 */
export const namePattern = `^[^${controlClass}${bidiClass}]*[^${controlClass}${bidiClass}${invisibleClass}][^${controlClass}${bidiClass}]*$`;

export type ParsedName = { ok: true; name: string } | { ok: false; problem: NameProblem };

export function parseName(input: string): ParsedName {
  const name = input.normalize('NFC').trim();
  if (controlCharacter.test(name)) return { ok: false, problem: 'control_character' };
  if (bidiControl.test(name)) return { ok: false, problem: 'bidi_control' };
  if (name.replace(invisible, '') === '') return { ok: false, problem: 'invisible' };
  if ([...name].length > maxNameLength) return { ok: false, problem: 'too_long' };
  return { ok: true, name };
}
