// Strict decoding and encoding: every item type, and every kind of malformed or hostile input.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  decodeTtlv,
  encodeTtlv,
  ItemType,
  messageSizeFromHeader,
  Tag,
  TtlvError,
  type TtlvErrorCode,
  type TtlvItem,
} from '../../../main/kmip/ttlv';

const hex = (text: string) => Buffer.from(text.replace(/[\s|]/g, ''), 'hex');

function decodeError(bytes: Uint8Array, options?: Parameters<typeof decodeTtlv>[1]): TtlvError {
  try {
    decodeTtlv(bytes, options);
  } catch (error) {
    expect(error).toBeInstanceOf(TtlvError);
    return error as TtlvError;
  }
  throw new Error('expected decodeTtlv to throw');
}

function expectDecodeError(bytes: Uint8Array, code: TtlvErrorCode, offset: number): TtlvError {
  const error = decodeError(bytes);
  expect({ code: error.code, offset: error.offset }).toEqual({ code, offset });
  expect(error.message).toMatch(/offset/);
  return error;
}

const sample: TtlvItem = {
  tag: Tag.RequestMessage,
  type: ItemType.Structure,
  value: [
    { tag: Tag.ProtocolVersionMajor, type: ItemType.Integer, value: -2 },
    { tag: Tag.Offset, type: ItemType.LongInteger, value: -(1n << 63n) },
    { tag: Tag.Modulus, type: ItemType.BigInteger, value: -(1n << 70n) + 5n },
    { tag: Tag.Operation, type: ItemType.Enumeration, value: 0xffffffff },
    { tag: Tag.BatchOrderOption, type: ItemType.Boolean, value: true },
    { tag: Tag.Username, type: ItemType.TextString, value: '\ufeffnaïve 🔑 user' },
    { tag: Tag.UniqueBatchItemID, type: ItemType.ByteString, value: new Uint8Array([1, 2, 3]) },
    { tag: Tag.TimeStamp, type: ItemType.DateTime, value: 1_700_000_000n },
    { tag: Tag.LeaseTime, type: ItemType.Interval, value: 0xfffffffe },
    { tag: Tag.ActivationDate, type: ItemType.DateTimeExtended, value: 1_700_000_000_123_456n },
    { tag: 0x54ff01, type: ItemType.Enumeration, value: 0x8000_0001 },
    { tag: Tag.RequestPayload, type: ItemType.Structure, value: [] },
  ],
};

describe('encodeTtlv / decodeTtlv', () => {
  it('round-trips every item type, vendor tags and unknown enumeration values', () => {
    const bytes = encodeTtlv(sample);
    expect(decodeTtlv(bytes)).toEqual(sample);
    expect(encodeTtlv(decodeTtlv(bytes)).equals(bytes)).toBe(true);
  });

  it('writes the wire format of the specification (KMIP 1.x examples)', () => {
    expect(encodeTtlv({ tag: 0x420020, type: ItemType.Integer, value: 8 }).toString('hex')).toBe('42002002000000040000000800000000');
    expect(encodeTtlv({ tag: 0x420020, type: ItemType.LongInteger, value: 123456789000000000n }).toString('hex')).toBe('420020030000000801b69b4ba5749200');
    expect(encodeTtlv({ tag: 0x420020, type: ItemType.BigInteger, value: 1234567890000000000000000000n }).toString('hex')).toBe(
      '42002004000000100000000003fd35eb6bc2df4618080000',
    );
    expect(encodeTtlv({ tag: 0x420020, type: ItemType.TextString, value: 'Hello World' }).toString('hex')).toBe(
      '420020070000000b48656c6c6f20576f726c640000000000',
    );
    expect(encodeTtlv({ tag: 0x420020, type: ItemType.ByteString, value: new Uint8Array([1, 2, 3]) }).toString('hex')).toBe(
      '42002008000000030102030000000000',
    );
    expect(encodeTtlv({ tag: 0x420020, type: ItemType.DateTime, value: 0x47da67f8n }).toString('hex')).toBe('42002009000000080000000047da67f8');
    expect(encodeTtlv({ tag: 0x420020, type: ItemType.Interval, value: 864000 }).toString('hex')).toBe('4200200a00000004000d2f0000000000');
  });

  it('encodes Big Integers with minimal sign extension to a multiple of 8 bytes', () => {
    const length = (value: bigint) => encodeTtlv({ tag: Tag.Modulus, type: ItemType.BigInteger, value }).readUInt32BE(4);
    expect(length(0n)).toBe(8);
    expect(length(-1n)).toBe(8);
    expect(length((1n << 63n) - 1n)).toBe(8);
    expect(length(1n << 63n)).toBe(16); // needs a leading 0x00 sign byte
    expect(length(-(1n << 63n))).toBe(8);
    expect(length(-(1n << 63n) - 1n)).toBe(16);
    for (const value of [0n, -1n, 255n, -256n, 1n << 63n, -(1n << 63n) - 1n, (1n << 2048n) - 1n, -(1n << 2047n)]) {
      const item: TtlvItem = { tag: Tag.Modulus, type: ItemType.BigInteger, value };
      expect(decodeTtlv(encodeTtlv(item))).toEqual(item);
    }
  });

  it('copies Byte String values out of the input buffer', () => {
    const bytes = encodeTtlv({ tag: Tag.KeyMaterial, type: ItemType.ByteString, value: new Uint8Array([9, 9, 9, 9]) });
    const item = decodeTtlv(bytes);
    bytes.fill(0);
    expect(item.value).toEqual(new Uint8Array([9, 9, 9, 9]));
  });

  it('refuses to encode values that do not fit their type', () => {
    const bad: unknown[] = [
      { tag: Tag.BatchCount, type: ItemType.Integer, value: 2 ** 31 },
      { tag: Tag.BatchCount, type: ItemType.Integer, value: 1.5 },
      { tag: Tag.Operation, type: ItemType.Enumeration, value: -1 },
      { tag: Tag.Offset, type: ItemType.LongInteger, value: 1n << 63n },
      { tag: Tag.Offset, type: ItemType.LongInteger, value: 5 },
      { tag: Tag.Username, type: ItemType.TextString, value: 'lone \ud800 surrogate' },
      { tag: Tag.UniqueBatchItemID, type: ItemType.ByteString, value: 'abc' },
      { tag: 0x1000000, type: ItemType.Integer, value: 1 },
      { tag: Tag.BatchCount, type: 0x0c, value: 1 },
      { tag: Tag.RequestMessage, type: ItemType.Structure, value: [null] },
    ];
    for (const item of bad) {
      expect(() => encodeTtlv(item as TtlvItem)).toThrow(TtlvError);
    }
  });

  it('reports a cyclic structure as TOO_DEEP instead of overflowing the stack', () => {
    const cyclic: TtlvItem = { tag: Tag.RequestMessage, type: ItemType.Structure, value: [] };
    (cyclic.value as TtlvItem[]).push(cyclic);
    expect(() => encodeTtlv(cyclic)).toThrow(expect.objectContaining({ code: 'TOO_DEEP' }));
  });
});

describe('decodeTtlv rejects malformed input with a code and a byte offset', () => {
  it('truncated header and truncated value', () => {
    expectDecodeError(hex('420078 01 000000'), 'TRUNCATED', 0);
    expectDecodeError(hex('42006a 02 00000004 00000001'), 'TRUNCATED', 0);
    expectDecodeError(new Uint8Array(0), 'TRUNCATED', 0);
  });

  it('wrong fixed lengths', () => {
    expectDecodeError(hex('42006a 02 00000008 0000000100000000'), 'BAD_LENGTH', 4);
    expectDecodeError(hex('42005c 05 00000003 0000000100000000'), 'BAD_LENGTH', 4);
    expectDecodeError(hex('420010 06 00000004 0000000100000000'), 'BAD_LENGTH', 4);
    expectDecodeError(hex('420092 09 00000004 0000000100000000'), 'BAD_LENGTH', 4);
    expectDecodeError(hex('420052 04 00000004 0000000100000000'), 'BAD_LENGTH', 4);
    expectDecodeError(hex('420052 04 00000000'), 'BAD_LENGTH', 4);
  });

  it('non-zero padding after a value', () => {
    expectDecodeError(hex('42006a 02 00000004 00000001 00000100'), 'BAD_PADDING', 14);
    expectDecodeError(hex('420099 07 00000003 616263 0000000001'), 'BAD_PADDING', 15);
  });

  it('Booleans other than 0 and 1', () => {
    expectDecodeError(hex('420010 06 00000008 0000000000000002'), 'BAD_BOOLEAN', 8);
    expectDecodeError(hex('420010 06 00000008 0100000000000001'), 'BAD_BOOLEAN', 8);
    expect(decodeTtlv(hex('420010 06 00000008 0000000000000000')).value).toBe(false);
  });

  it('unknown item types', () => {
    expectDecodeError(hex('420010 0c 00000008 0000000000000001'), 'UNKNOWN_TYPE', 3);
    expectDecodeError(hex('420010 00 00000008 0000000000000001'), 'UNKNOWN_TYPE', 3);
  });

  it('bytes after the message', () => {
    expectDecodeError(hex('42006a 02 00000004 00000001 00000000 00'), 'TRAILING_BYTES', 16);
  });

  it('structure lengths that do not match their children', () => {
    // structure claims 8 bytes but its child needs 16
    expectDecodeError(hex('420069 01 00000008 42006a 02 00000004 00000001 00000000'), 'STRUCTURE_LENGTH_MISMATCH', 8);
    // structure length not a multiple of 8
    expectDecodeError(hex('420069 01 0000000c 42006a 02 00000004 00000001 00000000'), 'STRUCTURE_LENGTH_MISMATCH', 4);
    // structure claims more than the input holds
    expectDecodeError(hex('420069 01 00000018 42006a 02 00000004 00000001 00000000'), 'TRUNCATED', 0);
  });

  it('invalid UTF-8 in a Text String', () => {
    expectDecodeError(hex('420099 07 00000002 c328 000000000000'), 'BAD_UTF8', 8);
    expectDecodeError(hex('420099 07 00000003 eda080 0000000000'), 'BAD_UTF8', 8); // UTF-8 encoded surrogate
    expectDecodeError(hex('420099 07 00000002 c0af 000000000000'), 'BAD_UTF8', 8); // overlong "/"
  });

  it('keeps a leading byte-order mark in a Text String', () => {
    const bytes = hex('420099 07 00000004 efbbbf41 00000000');
    expect(decodeTtlv(bytes).value).toBe('\ufeffA');
    expect(encodeTtlv(decodeTtlv(bytes)).equals(bytes)).toBe(true);
  });

  it('non-minimal Big Integers', () => {
    expectDecodeError(hex('420052 04 00000010 0000000000000000 0000000000000005'), 'NON_MINIMAL_BIG_INTEGER', 8);
    expectDecodeError(hex('420052 04 00000010 ffffffffffffffff ffffffffffffff00'), 'NON_MINIMAL_BIG_INTEGER', 8);
    // a leading zero block is required when the next byte has its top bit set
    expect(decodeTtlv(hex('420052 04 00000010 0000000000000000 8000000000000000')).value).toBe(1n << 63n);
    expect(decodeTtlv(hex('420052 04 00000008 ffffffffffffff00')).value).toBe(-256n);
  });

  it('a 2 GiB length field fails at once, without allocating', () => {
    const hostile = Buffer.concat([hex('420078 01 80000000'), Buffer.alloc(64)]);
    const nested = Buffer.concat([hex('420078 01 00000040 42007c 08 7ffffff8'), Buffer.alloc(56)]);
    for (const bytes of [hostile, nested]) {
      const before = process.memoryUsage().arrayBuffers;
      const started = performance.now();
      const error = decodeError(bytes, { maxMessageBytes: 2 ** 40 });
      expect(performance.now() - started).toBeLessThan(50);
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
      expect(error.code).toBe('TRUNCATED');
    }
    // with the default 1 MiB cap the length itself is refused
    const capped = decodeError(nested);
    expect(capped.code).toBe('TOO_LARGE');
    expect(capped.offset).toBe(12);
  });

  it('inputs above the message-size cap', () => {
    const big = encodeTtlv({ tag: Tag.KeyMaterial, type: ItemType.ByteString, value: new Uint8Array(2048) });
    expect(decodeError(big, { maxMessageBytes: 1024 }).code).toBe('TOO_LARGE');
    expect(decodeTtlv(big, { maxMessageBytes: 4096 }).type).toBe(ItemType.ByteString);
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(1024 * 1024);
  });

  it('deep nesting is refused with TOO_DEEP, even when the caller asks for an absurd depth', () => {
    const nest = (levels: number): Buffer => {
      const out = Buffer.alloc(levels * 8);
      for (let i = 0; i < levels; i++) {
        out.writeUIntBE(Tag.Attribute, i * 8, 3);
        out[i * 8 + 3] = ItemType.Structure;
        out.writeUInt32BE((levels - i - 1) * 8, i * 8 + 4);
      }
      return out;
    };
    expect(decodeTtlv(nest(10)).type).toBe(ItemType.Structure);
    expect(decodeError(nest(100)).code).toBe('TOO_DEEP');
    // maxDepth counts structure levels: 50 are accepted, the 51st is refused at its header
    expect(decodeTtlv(nest(50), { maxDepth: 50 }).type).toBe(ItemType.Structure);
    expect(decodeError(nest(51), { maxDepth: 50 }).offset).toBe(50 * 8);
    const deep = nest(200_000);
    expect(decodeError(deep, { maxMessageBytes: deep.length, maxDepth: 1e9 }).code).toBe('TOO_DEEP');
  });
});

describe('decode options', () => {
  it('refuses option values that would disable the checks', () => {
    const bytes = encodeTtlv(sample);
    expect(() => decodeTtlv(bytes, { maxDepth: Number.NaN })).toThrow(RangeError);
    expect(() => decodeTtlv(bytes, { maxDepth: 0 })).toThrow(RangeError);
    expect(() => decodeTtlv(bytes, { maxMessageBytes: Number.NaN })).toThrow(RangeError);
  });
});

describe('messageSizeFromHeader', () => {
  it('returns the framed size of a message, header included', () => {
    expect(messageSizeFromHeader(hex('42007b 01 00000120'))).toBe(0x128);
  });

  it('refuses oversize, non-structure and short headers before anything is allocated', () => {
    expect(() => messageSizeFromHeader(hex('42007b 01 7ffffff8'))).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }));
    expect(() => messageSizeFromHeader(hex('42007b 07 00000010'))).toThrow(expect.objectContaining({ code: 'UNKNOWN_TYPE' }));
    expect(() => messageSizeFromHeader(hex('42007b 01 00000011'))).toThrow(expect.objectContaining({ code: 'BAD_LENGTH' }));
    expect(() => messageSizeFromHeader(hex('42007b 01'))).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
  });
});
