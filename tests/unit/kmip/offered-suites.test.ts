// offeredTls12Suites: the TLS 1.2 suites of the ClientHello a cipher list produces, read in memory.
import { describe, expect, it } from 'vitest';
import { offeredTls12Suites } from '../../../main/kmip';

describe('offeredTls12Suites', () => {
  it('lists the TLS 1.2 suites the client offers, by IANA number, without TLS 1.3 suites or signalling values', async () => {
    expect(await offeredTls12Suites('AES128-SHA')).toEqual([0x002f]); // TLS_RSA_WITH_AES_128_CBC_SHA
    expect(await offeredTls12Suites('ECDHE-RSA-AES256-GCM-SHA384:AES128-SHA')).toEqual([0xc030, 0x002f]);
  });

  it('is empty for a suite OpenSSL knows but disables at this security level (no encryption)', async () => {
    expect(await offeredTls12Suites('NULL-SHA')).toEqual([]);
  });

  it('throws the TLS context error for a list OpenSSL refuses outright', async () => {
    await expect(offeredTls12Suites('NOT-A-CIPHER')).rejects.toMatchObject({ code: 'INVALID_CIPHERS' });
  });
});
