// A Host Name with a control, direction-override or zero-width character is refused with a message
// that names the character (U+XXXX) instead of quoting the text: a quoted U+202E makes the message
// render mirrored (explore report 6, finding 5).
import { describe, expect, it } from 'vitest';
import { checkHostName } from '../../../common/host-name';
import { validateField } from '../../../common/settings';
import { hasInvisibleOrControlChars } from '../../../common/text';

const HIDDEN = /^Host Name must not contain control characters, direction overrides or zero-width characters; it has (U\+[0-9A-F]{4,6}) at character (\d+): retype the host name\.$/;

describe('Host Name with invisible or control characters', () => {
  it.each([
    ['\u202ekms.example', 'U+202E', 1], // right-to-left override
    ['kms\u200b.example', 'U+200B', 4], // zero-width space
    ['kms.exa\u2066mple', 'U+2066', 8], // left-to-right isolate
    ['kms\u0007.example', 'U+0007', 4], // BEL
    ['kms\t.example', 'U+0009', 4], // a tab inside, not "spaces"
    ['kms\ufeff.example', 'U+FEFF', 4], // byte order mark inside
    ['2001:db8::\u200e1', 'U+200E', 11], // left-to-right mark in an IPv6 address
    ['\u{1F600}\u202e.example', 'U+202E', 2], // counted in characters, not UTF-16 units
  ])('%j is refused naming %s at character %i, without quoting the text', (input, codePoint, position) => {
    const check = checkHostName(input);
    expect(check.ok).toBe(false);
    const message = check.ok ? '' : check.message;
    expect(message).toMatch(HIDDEN);
    expect(HIDDEN.exec(message)?.slice(1)).toEqual([codePoint, String(position)]);
    expect(message).not.toContain(input.trim());
    expect(hasInvisibleOrControlChars(message)).toBe(false);
  });

  it('is what Save says for Host Name', () => {
    expect(validateField('hostName', '\u202ekms.example')).toMatchObject({ ok: false, message: expect.stringMatching(HIDDEN) });
  });

  it('still trims surrounding whitespace (a pasted line break) and accepts the host', () => {
    expect(checkHostName('kms.example.com\n')).toEqual({ ok: true, kind: 'hostname', normalized: 'kms.example.com' });
  });
});

describe('characters shown as nothing', () => {
  it.each([
    ['U+00AD', 'kms\u00ad.example'],
    ['U+115F', 'kms\u115f.example'],
    ['U+3164', 'kms\u3164.example'],
    ['U+180E', 'kms\u180e.example'],
  ])('refuses %s in a Host Name, naming it', (codePoint, host) => {
    expect(checkHostName(host)).toMatchObject({ ok: false, message: expect.stringContaining(`it has ${codePoint} at character 4`) });
  });

  it('still lets through what shapes what is shown: emoji variation selectors, flag tags, Mongolian FVS, the grapheme joiner', () => {
    expect(hasInvisibleOrControlChars('Lab ❤️ server')).toBe(false);
    expect(hasInvisibleOrControlChars('Lab \u{1f3f4}\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}')).toBe(false); // Scotland
    expect(hasInvisibleOrControlChars('\u182a\u180b')).toBe(false);
    expect(hasInvisibleOrControlChars('a\u034fb')).toBe(false);
    expect(hasInvisibleOrControlChars('soft\u00adhyphen')).toBe(true);
  });
});
