// Parts of KMIP JSON input quoted back in error messages: keys and strings can hold anything, from
// terminal escape sequences to megabytes of text, and messages are printed to terminals and logs.

/** A quoted key or string is cut to this many characters (the quote marks and escapes not counted). */
export const QUOTE_CHARS = 40;

/** Control, format (bidi overrides, zero-width) and line/paragraph separator characters. */
const UNSAFE_TO_PRINT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** `text` as a JSON string literal in which every character unsafe to print is a \u escape. */
export function quoteJsonString(text: string): string {
  return JSON.stringify(text).replace(UNSAFE_TO_PRINT, (char) =>
    Array.from({ length: char.length }, (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''),
  );
}

/** `text` quoted for a message, cut to QUOTE_CHARS characters ("..." marks a cut). */
export function quoteJsonText(text: string): string {
  const cut = Array.from(text);
  return cut.length > QUOTE_CHARS ? `${quoteJsonString(cut.slice(0, QUOTE_CHARS - 3).join(''))}...` : quoteJsonString(text);
}

/** The step of a JSON path into the object key `key`: `.value`, or `["any key"]` for any other key. */
export function keyPathStep(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]{0,39}$/.test(key) ? `.${key}` : `[${quoteJsonText(key)}]`;
}
