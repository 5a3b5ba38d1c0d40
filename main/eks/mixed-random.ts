// The generator key material comes from: the OS CSPRNG, with key-server entropy mixed in through
// HKDF-SHA256 when it was fetched. Each output is HKDF(OS randomness ‖ pool, counter), so it is at
// least as strong as the OS CSPRNG alone: EKS entropy is added, never relied on alone.
import { createHash, hkdfSync, randomBytes } from 'node:crypto';

const HKDF_MAX_BYTES = 255 * 32;
const SALT = Buffer.from('kmip-console/mixed-random/v1', 'utf8');

export class MixedRandom {
  /** hash chain over every seed added; empty until the first one */
  private pool: Buffer = Buffer.alloc(0);
  private seedBytes = 0;
  private counter = 0n;

  /** Mixes key-server entropy into the pool (earlier seeds keep counting). */
  addEntropy(seed: Uint8Array): void {
    this.pool = createHash('sha256').update(this.pool).update(seed).digest();
    this.seedBytes += seed.length;
  }

  /** How many bytes of key-server entropy have been mixed in since the process started. */
  get externalEntropyBytes(): number {
    return this.seedBytes;
  }

  bytes(size: number): Buffer {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`MixedRandom.bytes: size must be a whole number ≥ 0, got ${size}`);
    const chunks: Buffer[] = [];
    for (let remaining = size; remaining > 0; remaining -= HKDF_MAX_BYTES) {
      const length = Math.min(remaining, HKDF_MAX_BYTES);
      this.counter += 1n;
      const info = Buffer.alloc(8);
      info.writeBigUInt64BE(this.counter);
      const ikm = Buffer.concat([randomBytes(32), this.pool]);
      chunks.push(Buffer.from(hkdfSync('sha256', ikm, SALT, info, length)));
    }
    return Buffer.concat(chunks, size);
  }
}

/** The process's generator: fetchEntropy feeds it, Apply and the store draw from it. */
export const mixedRandom = new MixedRandom();
