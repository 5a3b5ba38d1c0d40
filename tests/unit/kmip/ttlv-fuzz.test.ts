// A short run of the standalone fuzzer (fuzz/ttlv-fuzz.ts), binary and JSON inputs.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../../fuzz/ttlv-fuzz';

describe('ttlv fuzzer (short run)', () => {
  it('feeds 20,000 binary and 20,000 JSON mutants with only typed errors and bounded memory', () => {
    const report = runFuzz({ iterations: 20_000, seed: 42, maxRssGrowthMb: 256 });
    expect(report.failures).toEqual([]);
    expect(report.iterations).toBe(20_000);
    const total = (h: Record<string, number>) => Object.values(h).reduce((a, b) => a + b, 0);
    expect(total(report.binary)).toBe(20_000);
    expect(total(report.json)).toBe(20_000);
    expect(report.binary.UNTYPED ?? 0).toBe(0);
    expect(report.json.UNTYPED ?? 0).toBe(0);
    expect(report.json.INVALID_JSON ?? 0).toBeGreaterThan(0);
    expect(report.json.ACCEPTED ?? 0).toBeGreaterThan(0);
  });
});
