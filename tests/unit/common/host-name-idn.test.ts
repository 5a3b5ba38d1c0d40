// An internationalized host name is refused (the connection needs its ASCII form), with that form named.
import { describe, expect, it } from 'vitest';
import { checkHostName } from '../../../common/host-name';

describe('an internationalized Host Name', () => {
  it('is refused with its ASCII form to enter instead, which is accepted', () => {
    expect(checkHostName('bücher.example')).toEqual({ ok: false, message: 'Host Name "bücher.example" has characters outside ASCII: enter its ASCII form, "xn--bcher-kva.example".' });
    expect(checkHostName('xn--bcher-kva.example')).toMatchObject({ ok: true, normalized: 'xn--bcher-kva.example' });
  });

  it('suggests nothing that differs from what was typed (a path, a user, an escaped dot)', () => {
    for (const host of ['münchen.de/x', 'user@münchen.de', 'münchen.de%2eevil.com']) {
      expect(checkHostName(host)).toMatchObject({ ok: false, message: expect.not.stringContaining('xn--') });
    }
  });

  it('keeps the RFC 1123 message where no ASCII form exists', () => {
    expect(checkHostName('kms-.example')).toMatchObject({ ok: false, message: expect.stringMatching(/RFC 1123/) });
  });
});
