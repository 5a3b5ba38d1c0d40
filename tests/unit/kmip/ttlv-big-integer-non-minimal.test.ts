// A Big Integer with a redundant 8-byte sign block (as PyKMIP 0.10 writes -2^63 and -2^127) is refused,
// and the message gives the item's offset as every other message does, saying where its value starts.
import { describe, expect, it } from 'vitest';
import { decodeTtlv, TtlvError } from '../../../main/kmip/ttlv';
import { runTtlv } from './ttlv-cli-run';

/** PyKMIP 0.10.0's encoding of -2^63 as a Big Integer (Modulus) inside a Request Message. */
const PYKMIP_MINUS_2_POW_63 = '4200780100000018' + '4200520400000010' + 'ffffffffffffffff8000000000000000';

describe('a non-minimal Big Integer', () => {
  it('is refused with the item offset in the text and the value offset as the error offset', () => {
    let error: unknown;
    try {
      decodeTtlv(Buffer.from(PYKMIP_MINUS_2_POW_63, 'hex'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TtlvError);
    expect(error).toMatchObject({ code: 'NON_MINIMAL_BIG_INTEGER', offset: 16 });
    expect((error as TtlvError).message).toBe(
      'Big Integer 0x420052 at offset 8 (0x8) starts its value (at offset 16 (0x10)) with a redundant 8-byte block of sign extension: ' +
        'KMIP requires the fewest 8-byte blocks that hold the value and its sign',
    );
  });

  it('is reported so by `ttlv decode`, with no offset that contradicts another', async () => {
    const { code, err } = await runTtlv(['decode', PYKMIP_MINUS_2_POW_63]);
    expect(code).toBe(3);
    expect(err).toMatch(/NON_MINIMAL_BIG_INTEGER at byte offset 16 \(0x10\): Big Integer 0x420052 at offset 8 \(0x8\) starts its value \(at offset 16 \(0x10\)\)/);
  });

  it('decodes in its minimal form (8 bytes for -2^63)', () => {
    const item = decodeTtlv(Buffer.from('4200780100000010' + '4200520400000008' + '8000000000000000', 'hex'));
    expect(item).toMatchObject({ value: [{ value: -(1n << 63n) }] });
  });
});
