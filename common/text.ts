// Checks on free text that people type and later read (names, descriptions, user names).

/**
 * Control characters (C0, DEL, C1), line and paragraph separators, bidirectional overrides and
 * zero-width characters: invisible or disruptive when shown, in a terminal (escape sequences, a
 * forged line) as in a dialog (text that reads in another order than it is stored).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this check's purpose
const INVISIBLE_OR_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/u;

/**
 * Characters shown as nothing at all, with no use in the names and text typed here but to look like
 * something else: the soft hyphen, the Hangul fillers, the deprecated Khmer inherent vowels and the
 * Mongolian vowel separator. Not the characters that shape what is shown: variation selectors (U+FE0F
 * in "❤️", Mongolian FVS), tag characters (the flags of England, Scotland, Wales), the combining
 * grapheme joiner.
 */
const SHOWN_AS_NOTHING = /\u00ad|\u115f|\u1160|\u17b4|\u17b5|\u180e|\u3164|\uffa0/u;

export function hasInvisibleOrControlChars(text: string): boolean {
  return INVISIBLE_OR_CONTROL.test(text) || SHOWN_AS_NOTHING.test(text);
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
