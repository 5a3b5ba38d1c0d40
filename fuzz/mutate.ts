// Deterministic input mutators for the TTLV decoder and the KMIP JSON reader, shared by the mutation test
// (tests/unit/kmip/ttlv-mutation.test.ts) and the standalone fuzzer (fuzz/ttlv-fuzz.ts).

/** A small seeded PRNG (mulberry32): same seed, same sequence, so every failure can be replayed. */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

function int(rng: Rng, below: number): number {
  return Math.floor(rng() * below);
}

function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[int(rng, values.length)] as T;
}

/** Length values that tend to break parsers: zero, off-by-one, sign bit, all ones, 2 GiB. */
const INTERESTING_LENGTHS = [0, 1, 3, 4, 7, 8, 9, 15, 16, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffff8, 0xffffffff];

/** Names of the byte mutations, for reports. */
export const BYTE_MUTATIONS = ['bitflip', 'byte', 'insert', 'delete', 'length', 'truncate', 'type', 'duplicate', 'splice'] as const;
export type ByteMutation = (typeof BYTE_MUTATIONS)[number];

/**
 * Returns a mutated copy of `input` (never modifies it). Item headers sit at multiples of 8 in well-formed
 * TTLV, so length and type rewrites aim there to get past the first checks and reach deeper code.
 */
export function mutateBytes(input: Uint8Array, rng: Rng, donor?: Uint8Array): { bytes: Uint8Array; kind: ByteMutation } {
  const kind = pick(rng, BYTE_MUTATIONS);
  const out = Uint8Array.from(input);
  const headerAt = () => int(rng, Math.max(1, Math.floor(input.length / 8))) * 8;
  switch (kind) {
    case 'bitflip': {
      const flips = 1 + int(rng, 4);
      for (let i = 0; i < flips && out.length > 0; i++) {
        const at = int(rng, out.length);
        out[at] = (out[at] as number) ^ (1 << int(rng, 8));
      }
      return { bytes: out, kind };
    }
    case 'byte': {
      if (out.length > 0) out[int(rng, out.length)] = pick(rng, [0x00, 0x01, 0x7f, 0x80, 0xff, int(rng, 256)]);
      return { bytes: out, kind };
    }
    case 'insert': {
      const at = int(rng, input.length + 1);
      const extra = Uint8Array.from({ length: 1 + int(rng, 16) }, () => int(rng, 256));
      return { bytes: concat(input.subarray(0, at), extra, input.subarray(at)), kind };
    }
    case 'delete': {
      const at = int(rng, input.length + 1);
      const count = 1 + int(rng, 16);
      return { bytes: concat(input.subarray(0, at), input.subarray(at + count)), kind };
    }
    case 'length': {
      const at = headerAt() + 4;
      if (at + 4 <= out.length) {
        const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
        const current = view.getUint32(at);
        const next = rng() < 0.5 ? pick(rng, INTERESTING_LENGTHS) : (current + pick(rng, [-9, -8, -1, 1, 8, 9, 16])) >>> 0;
        view.setUint32(at, next >>> 0);
      }
      return { bytes: out, kind };
    }
    case 'truncate':
      return { bytes: input.slice(0, int(rng, input.length)), kind };
    case 'type': {
      const at = headerAt() + 3;
      if (at < out.length) out[at] = int(rng, 16);
      return { bytes: out, kind };
    }
    case 'duplicate': {
      const start = headerAt();
      const chunk = input.subarray(start, start + 8 * (1 + int(rng, 4)));
      const at = headerAt();
      return { bytes: concat(input.subarray(0, at), chunk, input.subarray(at)), kind };
    }
    case 'splice': {
      const other = donor ?? input;
      const from = int(rng, other.length + 1);
      const at = int(rng, input.length + 1);
      return { bytes: concat(input.subarray(0, at), other.subarray(from, from + int(rng, 64))), kind };
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Values that are wrong in interesting ways for some JSON field. */
const ODD_JSON_VALUES: readonly unknown[] = [
  null, true, false, 0, -1, 1.5, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 63), 1e308, '', '0x', '0x00000000', '0xffffffff',
  '0x0000000000000001', '0xzz', 'zz', 'Get', 'SymmetricKey', 'Encrypt|Decrypt', 'Encrypt||', '|', '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999999Z', '2001-02-29T00:00:00Z', '0000-00-00T00:00:00Z', 'RequestMessage', '0x420078', '0x54ffff',
  'Structure', 'BigInteger', 'DateTimeExtended', [], {}, [[]], { tag: 'Operation' }, '\ud800', 'é',
];

/**
 * Returns mutated JSON text: half the time a structural mutation of the parsed tree (a field replaced, removed,
 * added, or an array element dropped or duplicated), otherwise a character-level mutation of the text.
 */
export function mutateJsonText(text: string, rng: Rng): string {
  if (rng() < 0.5) {
    const tree: unknown = JSON.parse(text);
    const nodes: Record<string, unknown>[] = [];
    collectObjects(tree, nodes);
    const node = nodes.length > 0 ? pick(rng, nodes) : undefined;
    if (node) {
      const field = pick(rng, ['tag', 'type', 'value', 'extra']);
      const action = int(rng, 4);
      if (action === 0) delete node[field];
      else if (action === 1 && Array.isArray(node.value) && node.value.length > 0) {
        const index = int(rng, node.value.length);
        if (rng() < 0.5) node.value.splice(index, 1);
        else node.value.splice(index, 0, node.value[index]);
      } else node[field] = pick(rng, ODD_JSON_VALUES);
    }
    return JSON.stringify(tree);
  }
  const at = int(rng, text.length + 1);
  switch (int(rng, 4)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + int(rng, 8));
    case 2:
      return text.slice(0, at) + pick(rng, ['{', '}', '[', ']', '"', ',', ':', '0', '-', 'e9', '\\u0000', 'null']) + text.slice(at);
    default: {
      const chars = [...text];
      if (chars.length > 0) chars[int(rng, chars.length)] = String.fromCharCode(32 + int(rng, 95));
      return chars.join('');
    }
  }
}

function collectObjects(value: unknown, out: Record<string, unknown>[]): void {
  if (Array.isArray(value)) {
    for (const element of value) collectObjects(element, out);
  } else if (value !== null && typeof value === 'object') {
    out.push(value as Record<string, unknown>);
    collectObjects((value as Record<string, unknown>).value, out);
  }
}
