// The Ciphers check at Save: a refused list is explained by its actual fault, so the fix offered
// fits the list typed (OpenSSL's own errors say only "no cipher match" or "invalid command").
import { describe, expect, it } from 'vitest';
import { assertCipherListUsable } from '../../../main/settings';

async function refusal(list: string): Promise<string> {
  const error = await assertCipherListUsable(list).then(
    () => null,
    (e: unknown) => e as { code: string; field: string; message: string },
  );
  if (!error) throw new Error(`"${list}" was accepted`);
  expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'ciphers' });
  return error.message;
}

describe('Ciphers refused at Save', () => {
  it.each(['@SECLEVEL=00', 'HIGH:@SECLEVEL=00', 'HIGH:@SECLEVEL=6', 'HIGH:@strength', 'HIGH:!@STRENGTH'])(
    'names the "@" command OpenSSL does not know in %s, and does not blame exclusions',
    async (list) => {
      const message = await refusal(list);
      expect(message).toContain(`knows no command "${list.split(':').pop()}"`);
      expect(message).toMatch(/only STRENGTH and SECLEVEL=n/);
      expect(message).not.toMatch(/exclusion/);
    },
  );

  it.each(['@STRENGTH', '!ALL', '-ALL:+HIGH', 'TLS_AES_128_GCM_SHA256:@STRENGTH'])('says %s names no cipher, only modifiers', async (list) => {
    const message = await refusal(list);
    expect(message).toMatch(/names no cipher/);
    expect(message).toMatch(/Put the ciphers to select first/);
  });

  it.each(['HIGH:!HIGH', 'AES128-SHA:-ALL'])('blames the exclusions when %s excludes everything it names', async (list) => {
    expect(await refusal(list)).toMatch(/selects no cipher at all .*remove some "!" or "-" exclusions/);
  });

  it.each(['TLS_RSA_WITH_AES_256_CBC_SHA256', 'AES256-SHA256:TLS_RSA_WITH_AES_256_CBC_SHA256', 'TLS_AES_256_GCM_SHA384:TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'])(
    'refuses the IANA name of a TLS 1.2 suite in %s (OpenSSL would drop it in silence) and gives its OpenSSL form',
    async (list) => {
      const message = await refusal(list);
      expect(message).toMatch(/"TLS_[A-Z0-9_]+_WITH_[A-Z0-9_]+" is no TLS 1.3 suite/);
      expect(message).toMatch(/openssl ciphers -stdname/);
    },
  );

  it('accepts the TLS 1.3 suite names beside OpenSSL names', async () => {
    await expect(assertCipherListUsable('TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:ECDHE-RSA-AES256-GCM-SHA384')).resolves.toBeUndefined();
  });

  it('still refuses security level 0 for what it allows, and accepts the known commands', async () => {
    expect(await refusal('HIGH:@SECLEVEL=0')).toMatch(/in the clear/);
    await expect(assertCipherListUsable('HIGH:!aNULL:@STRENGTH:@SECLEVEL=2')).resolves.toBeUndefined();
  });
});
