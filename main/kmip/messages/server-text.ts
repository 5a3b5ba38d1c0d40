// Text a key server sent (a Result Message, a Vendor Identification) as it may be shown to a person.
// A server — or whoever answers in its place with Verify off — must not be able to move the cursor,
// clear a terminal, forge a line such as "[ ok ]", or reorder what a dialog shows.

/** Control characters (C0, DEL, C1), line separators, direction overrides and zero-width characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/gu;
const MAX_SHOWN = 500;

/** `text` with every unshowable character written as \u{…}, cut at 500 characters. */
export function showableServerText(text: string): string {
  const cut = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length - MAX_SHOWN} more characters)` : text;
  return cut.replace(UNSHOWABLE, (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`);
}
