import { normalizePassword } from './passwords.ts';

/**
 * What a new password must be (NIST SP 800-63B 5.1.1.2, OWASP ASVS 2.1): 8 to 256 characters counted as
 * Unicode code points (the schema checks the length), any printable character including spaces, no
 * composition rules, and not on the list of common or breached passwords. Control characters (NUL,
 * ESC, line breaks, tabs, C1) and unpaired surrogates cannot be typed reliably and are refused.
 */
export type PasswordProblem = 'control_character' | 'common';

/** C0 and C1 controls, DEL, and unpaired surrogates (which `u` regexes see as Cs). */
const controlCharacter = /[\p{Cc}\p{Cs}]/u;

/** The rule as a JSON Schema pattern (ECMA-262 with `u`): no control character anywhere. */
export const passwordPattern = '^[^\\p{Cc}\\p{Cs}]*$';

/** The form a password is compared with the common list in: NFKC, lower case (the list is lower case). */
export const commonListForm = (password: string) => normalizePassword(password).toLowerCase();

export function passwordProblem(password: string, isCommon: (candidate: string) => boolean): PasswordProblem | null {
  if (controlCharacter.test(password)) return 'control_character';
  if (isCommon(commonListForm(password))) return 'common';
  return null;
}

/** Code points, as NIST counts characters (an emoji is one, not two UTF-16 units). */
export const codePointLength = (text: string) => [...text].length;
