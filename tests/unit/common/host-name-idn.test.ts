// An internationalized host name is refused (the connection needs its ASCII form), with that form named.
import { describe, expect, it } from 'vitest';
import { checkHostName } from '../../../common/host-name';

describe('an internationalized Host Name', () => {
  it('is refused with its ASCII form to enter instead, which is accepted', () => {
    expect(checkHostName('bücher.example')).toEqual({ ok: false, message: 'Host Name "bücher.example" has letters outside ASCII: enter its ASCII form, "xn--bcher-kva.example".' });
    expect(checkHostName('xn--bcher-kva.example')).toMatchObject({ ok: true, normalized: 'xn--bcher-kva.example' });
  });

  it('keeps the RFC 1123 message where no ASCII form exists', () => {
    expect(checkHostName('kms-.example')).toMatchObject({ ok: false, message: expect.stringMatching(/RFC 1123/) });
  });
});
