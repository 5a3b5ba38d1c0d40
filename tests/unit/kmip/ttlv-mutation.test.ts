// Pushes 100,000+ deterministic mutations of the shared vectors through the decoder: the only failure allowed
// is a TtlvError, and every input the decoder accepts must re-encode to exactly the same bytes.
import { describe, expect, it } from 'vitest';
import { createRng, mutateBytes, type ByteMutation } from '../../../fuzz/mutate';
import { loadVectors } from '../../../fuzz/vectors';
import { decodeTtlv, encodeTtlv, TtlvError } from '../../../main/kmip/ttlv';

const MUTANTS = 100_000;

describe('decoder under mutation', () => {
  it(`rejects or canonically accepts ${MUTANTS} mutated vectors`, () => {
    const vectors = loadVectors();
    const rng = createRng(20261128);
    const codes = new Map<string, number>();
    const kinds = new Set<ByteMutation>();
    const untyped: string[] = [];
    let run = 0;
    for (let i = 0; i < MUTANTS; i++) {
      const source = vectors[i % vectors.length]!;
      const { bytes, kind } = mutateBytes(source.bytes, rng, vectors[(i * 7) % vectors.length]!.bytes);
      kinds.add(kind);
      run++;
      let outcome: string;
      try {
        const item = decodeTtlv(bytes);
        outcome = 'ACCEPTED';
        if (!encodeTtlv(item).equals(Buffer.from(bytes))) untyped.push(`accepted but not canonical: ${kind} of ${source.name}`);
      } catch (error) {
        if (error instanceof TtlvError) {
          outcome = error.code;
          if (!(error.offset >= 0 && error.offset <= bytes.length)) untyped.push(`offset ${error.offset} outside the input (${error.code})`);
        } else {
          outcome = 'UNTYPED';
          untyped.push(`${kind} of ${source.name}: ${String(error)}`);
        }
      }
      codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
    }
    expect(untyped.slice(0, 5)).toEqual([]);
    expect(run).toBe(MUTANTS);
    // the mutators reach the interesting checks, not just the first one
    expect(kinds.size).toBe(9);
    for (const code of ['TRUNCATED', 'BAD_LENGTH', 'BAD_PADDING', 'UNKNOWN_TYPE', 'TOO_LARGE', 'TRAILING_BYTES', 'STRUCTURE_LENGTH_MISMATCH', 'ACCEPTED']) {
      expect(codes.get(code) ?? 0, code).toBeGreaterThan(0);
    }
  });
});
