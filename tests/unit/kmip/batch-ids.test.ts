// The transport's own Unique Batch Item IDs (Nbio = 1): 8-byte big-endian counters, keyed by value.
import { describe, expect, it } from 'vitest';
import { counterBatchItemId, transportIdOf } from '../../../main/kmip/transport/batch-ids';

describe('transport batch item IDs', () => {
  it('are 8 bytes big-endian and read back to their counter value, up to 2^48 - 1', () => {
    expect(Buffer.from(counterBatchItemId(1)).toString('hex')).toBe('0000000000000001');
    expect(Buffer.from(counterBatchItemId(0x0102030405)).toString('hex')).toBe('0000000102030405');
    expect(Buffer.from(counterBatchItemId(2 ** 48 - 1)).toString('hex')).toBe('0000ffffffffffff');
    for (const n of [0, 255, 256, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 7, 2 ** 48 - 1]) {
      expect(transportIdOf(counterBatchItemId(n))).toBe(n);
      expect(Buffer.from(counterBatchItemId(n)).readUIntBE(2, 6)).toBe(n);
    }
  });

  it('refuse bytes no transport ID has: another length, or a top byte set', () => {
    expect(transportIdOf(Buffer.from('01', 'hex'))).toBeNull();
    expect(transportIdOf(Buffer.from('000000000000000001', 'hex'))).toBeNull();
    expect(transportIdOf(Buffer.from('0100000000000001', 'hex'))).toBeNull();
    expect(transportIdOf(Buffer.from('0001000000000001', 'hex'))).toBeNull();
    expect(transportIdOf(Buffer.from('caller-1'))).toBeNull();
  });
});
