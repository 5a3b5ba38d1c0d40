import { describe, expect, it } from 'vitest';
import { MixedRandom } from '../../../main/eks/mixed-random';

describe('MixedRandom', () => {
  it('returns the requested number of bytes, also beyond one HKDF output', () => {
    const random = new MixedRandom();
    for (const size of [0, 1, 32, 8160, 8161, 20000]) expect(random.bytes(size)).toHaveLength(size);
  });

  it('never repeats, with or without key-server entropy, even when two generators get the same seed', () => {
    const a = new MixedRandom();
    const b = new MixedRandom();
    const seed = Buffer.alloc(48, 7);
    a.addEntropy(seed);
    b.addEntropy(seed);
    const outputs = new Set([a.bytes(32), a.bytes(32), b.bytes(32), new MixedRandom().bytes(32)].map((x) => x.toString('hex')));
    expect(outputs.size).toBe(4);
  });

  it('counts the key-server entropy mixed in', () => {
    const random = new MixedRandom();
    random.addEntropy(Buffer.alloc(48));
    random.addEntropy(Buffer.alloc(16));
    expect(random.externalEntropyBytes).toBe(64);
  });
});
