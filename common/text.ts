// Checks on free text that people type and later read (names, descriptions, user names).

/**
 * Control characters (C0, DEL, C1), line and paragraph separators, bidirectional overrides and
 * zero-width characters: invisible or disruptive when shown, in a terminal (escape sequences, a
 * forged line) as in a dialog (text that reads in another order than it is stored).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this check's purpose
const INVISIBLE_OR_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/u;

/**
 * Characters shown as nothing at all (soft hyphen U+00AD, fillers such as U+3164, tags), but not the
 * variation selectors that choose how an emoji looks (U+FE0F in "❤️").
 */
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const VARIATION_SELECTOR = /[\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/u;

export function hasInvisibleOrControlChars(text: string): boolean {
  if (INVISIBLE_OR_CONTROL.test(text)) return true;
  if (!DEFAULT_IGNORABLE.test(text)) return false;
  for (const character of text) if (DEFAULT_IGNORABLE.test(character) && !VARIATION_SELECTOR.test(character)) return true;
  return false;
}

/**
 * Length of text in characters as a person counts them on screen (Unicode code points), not in
 * the UTF-16 units of String.length, where an emoji counts twice.
 */
export function characterCount(text: string): number {
  let count = 0;
  for (const _codePoint of text) count += 1;
  return count;
}

/**
 * False for text with a lone UTF-16 surrogate: such text has no UTF-8 form, and converting it (to
 * store a secret, or to send a password) silently puts U+FFFD in its place.
 */
export function isWellFormedText(text: string): boolean {
  return !/\p{Surrogate}/u.test(text);
}
