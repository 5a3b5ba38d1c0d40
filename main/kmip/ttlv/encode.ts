// TTLV encoder. Two passes: the first validates every item and computes the exact message size, the
// second writes into one buffer of that size (no per-item Buffer.concat), patching structure lengths.
import { describeOffset, TtlvError } from './errors';
import { itemTypeName } from './item-types';
import { MAX_DEPTH_CEILING, TTLV_HEADER_BYTES } from './limits';
import { tagName } from './tags';
import { ItemType, type TtlvItem } from './types';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const UINT32_MAX = 0xffffffff;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `text` has a lone UTF-16 surrogate, which has no UTF-8 encoding. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** Encodes one item (normally a whole Request Message) to TTLV bytes. Invalid items throw INVALID_ITEM. */
export function encodeTtlv(item: TtlvItem): Buffer {
  const size = measure(item, 0, 1);
  const buf = Buffer.allocUnsafe(size);
  const end = write(buf, item, 0);
  if (end !== size) {
    // a bug, not bad input: measure() and write() disagree
    throw new Error(`encodeTtlv: wrote ${end} bytes, measured ${size}`);
  }
  return buf;
}

function padded(length: number): number {
  return length + ((8 - (length & 7)) & 7);
}

/** Validates `item` and returns its encoded size, padding included. `offset` is only for error messages. */
function measure(item: TtlvItem, offset: number, depth: number): number {
  const { tag, type } = item as { tag: unknown; type: unknown };
  if (typeof tag !== 'number' || !Number.isInteger(tag) || tag < 0 || tag > 0xffffff) {
    throw invalid(offset, `tag ${String(tag)} is not a 3-byte tag number (0 to 0xFFFFFF)`);
  }
  const value: unknown = item.value;
  switch (type) {
    case ItemType.Structure: {
      if (!Array.isArray(value)) throw invalidValue(item, offset, 'an array of child items');
      if (depth >= MAX_DEPTH_CEILING) {
        throw new TtlvError('TOO_DEEP', offset, `structures nested deeper than ${MAX_DEPTH_CEILING} levels (a cycle?) at ${describeOffset(offset)}`);
      }
      let size = TTLV_HEADER_BYTES;
      for (const child of value as TtlvItem[]) {
        if (child === null || typeof child !== 'object') throw invalidValue(item, offset, 'an array of child items');
        size += measure(child, offset + size, depth + 1);
      }
      if (size - TTLV_HEADER_BYTES > UINT32_MAX) throw invalid(offset, `${describe(item)} is too large for a 4-byte length`);
      return size;
    }
    case ItemType.Integer:
      if (typeof value !== 'number' || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
        throw invalidValue(item, offset, 'a signed 32-bit integer');
      }
      return 16;
    case ItemType.Enumeration:
    case ItemType.Interval:
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
        throw invalidValue(item, offset, 'an unsigned 32-bit integer');
      }
      return 16;
    case ItemType.LongInteger:
    case ItemType.DateTime:
    case ItemType.DateTimeExtended:
      if (typeof value !== 'bigint' || value < INT64_MIN || value > INT64_MAX) {
        throw invalidValue(item, offset, 'a signed 64-bit bigint');
      }
      return 16;
    case ItemType.Boolean:
      if (typeof value !== 'boolean') throw invalidValue(item, offset, 'a boolean');
      return 16;
    case ItemType.BigInteger:
      if (typeof value !== 'bigint') throw invalidValue(item, offset, 'a bigint');
      return TTLV_HEADER_BYTES + bigIntegerLength(value);
    case ItemType.TextString:
      if (typeof value !== 'string') throw invalidValue(item, offset, 'a string');
      if (hasLoneSurrogate(value)) {
        throw new TtlvError('BAD_UTF8', offset, `${describe(item)} contains a lone UTF-16 surrogate and cannot be encoded as UTF-8`);
      }
      return TTLV_HEADER_BYTES + padded(Buffer.byteLength(value, 'utf8'));
    case ItemType.ByteString:
      if (!(value instanceof Uint8Array)) throw invalidValue(item, offset, 'a Uint8Array');
      return TTLV_HEADER_BYTES + padded(value.length);
    default:
      throw invalid(offset, `item ${tagLabel(tag)} has unknown type ${String(type)} (expected an ItemType code 1 to 11)`);
  }
}

/** Writes a validated item at `pos`; returns the offset after it (padding included). */
function write(buf: Buffer, item: TtlvItem, pos: number): number {
  const { tag } = item;
  buf[pos] = tag >>> 16;
  buf[pos + 1] = (tag >>> 8) & 0xff;
  buf[pos + 2] = tag & 0xff;
  buf[pos + 3] = item.type;
  const start = pos + TTLV_HEADER_BYTES;
  switch (item.type) {
    case ItemType.Structure: {
      let p = start;
      for (const child of item.value) p = write(buf, child, p);
      buf.writeUInt32BE(p - start, pos + 4);
      return p;
    }
    case ItemType.Integer:
      buf.writeUInt32BE(4, pos + 4);
      buf.writeInt32BE(item.value, start);
      buf.writeUInt32BE(0, start + 4);
      return start + 8;
    case ItemType.Enumeration:
    case ItemType.Interval:
      buf.writeUInt32BE(4, pos + 4);
      buf.writeUInt32BE(item.value, start);
      buf.writeUInt32BE(0, start + 4);
      return start + 8;
    case ItemType.LongInteger:
    case ItemType.DateTime:
    case ItemType.DateTimeExtended:
      buf.writeUInt32BE(8, pos + 4);
      buf.writeBigInt64BE(item.value, start);
      return start + 8;
    case ItemType.Boolean:
      buf.writeUInt32BE(8, pos + 4);
      buf.writeUInt32BE(0, start);
      buf.writeUInt32BE(item.value ? 1 : 0, start + 4);
      return start + 8;
    case ItemType.BigInteger: {
      const length = bigIntegerLength(item.value);
      buf.writeUInt32BE(length, pos + 4);
      const unsigned = item.value < 0n ? item.value + (1n << BigInt(length * 8)) : item.value;
      buf.write(unsigned.toString(16).padStart(length * 2, '0'), start, length, 'hex');
      return start + length;
    }
    case ItemType.TextString: {
      const length = buf.write(item.value, start, 'utf8');
      buf.writeUInt32BE(length, pos + 4);
      return zeroPad(buf, start + length);
    }
    case ItemType.ByteString: {
      buf.set(item.value, start);
      buf.writeUInt32BE(item.value.length, pos + 4);
      return zeroPad(buf, start + item.value.length);
    }
  }
}

function zeroPad(buf: Buffer, end: number): number {
  const paddedEnd = end + ((8 - (end & 7)) & 7);
  // explicit: the buffer comes from allocUnsafe and may hold stale bytes
  if (paddedEnd > end) buf.fill(0, end, paddedEnd);
  return paddedEnd;
}

/** Minimal two's-complement length, sign-extended up to a multiple of 8 bytes (at least 8). */
function bigIntegerLength(value: bigint): number {
  const magnitude = value < 0n ? -value - 1n : value;
  const bits = magnitude === 0n ? 0 : magnitude.toString(2).length;
  const minimalBytes = Math.floor(bits / 8) + 1; // one more bit for the sign
  return Math.max(8, Math.ceil(minimalBytes / 8) * 8);
}

function tagLabel(tag: number): string {
  const hex = '0x' + tag.toString(16).padStart(6, '0');
  const name = tagName(tag);
  return name ? `${name} (${hex})` : hex;
}

function describe(item: TtlvItem): string {
  return `${itemTypeName(item.type)} ${tagLabel(item.tag)}`;
}

function invalid(offset: number, message: string): TtlvError {
  return new TtlvError('INVALID_ITEM', offset, `cannot encode: ${message}`);
}

function invalidValue(item: TtlvItem, offset: number, expected: string): TtlvError {
  const value: unknown = item.value;
  const got = typeof value === 'object' ? (value === null ? 'null' : (value.constructor?.name ?? 'object')) : typeof value;
  return invalid(offset, `${describe(item)} at output ${describeOffset(offset)} needs ${expected}, got ${got}`);
}
