// Strict single-pass TTLV decoder. Every rule of the wire format is checked, and every violation is a
// TtlvError naming the byte offset. Nothing is allocated from a length field before it has been checked
// against both the remaining input and the message-size cap. A Big Integer must use the fewest 8-byte
// blocks: PyKMIP 0.10 writes -2^63 and -2^127 with a redundant sign block, and these are refused
// (NON_MINIMAL_BIG_INTEGER), also in a server's response.
import { describeOffset, TtlvError, type TtlvErrorCode } from './errors';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_MESSAGE_BYTES, MAX_DEPTH_CEILING, TTLV_HEADER_BYTES } from './limits';
import { itemTypeName } from './item-types';
import { ItemType as ItemTypes, type TtlvItem } from './types';

// Hot-path aliases: under per-file transforms (tsx, vitest) every use of an imported binding is a getter call.
const ItemType = ItemTypes;
const HEADER_BYTES = TTLV_HEADER_BYTES;

export interface DecodeOptions {
  /** reject inputs and length fields above this many bytes (default DEFAULT_MAX_MESSAGE_BYTES = 1 MiB) */
  maxMessageBytes?: number;
  /** reject structures nested deeper than this (default DEFAULT_MAX_DEPTH; at most MAX_DEPTH_CEILING) */
  maxDepth?: number;
}

// fatal: invalid UTF-8 is an error, not U+FFFD. ignoreBOM: a leading U+FEFF is content and must survive a
// round trip (the default would silently strip it).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

interface Cursor {
  /** a plain Uint8Array view of the input: its slice() copies, unlike Buffer's */
  bytes: Uint8Array;
  maxMessageBytes: number;
  maxDepth: number;
  /** where the next item starts; readItem() advances it past the item it read */
  pos: number;
}

/** Decodes exactly one TTLV item (normally a whole Request or Response Message) that fills `bytes`. */
export function decodeTtlv(bytes: Uint8Array, options: DecodeOptions = {}): TtlvItem {
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const maxDepth = Math.min(options.maxDepth ?? DEFAULT_MAX_DEPTH, MAX_DEPTH_CEILING);
  // A bad option is a programming error (NaN would disable the checks), not bad input: fail loudly.
  if (!(maxMessageBytes >= 0)) throw new RangeError(`decodeTtlv: maxMessageBytes must be a non-negative number, got ${maxMessageBytes}`);
  if (!Number.isInteger(maxDepth) || maxDepth < 1) throw new RangeError(`decodeTtlv: maxDepth must be a whole number of at least 1, got ${options.maxDepth}`);
  if (bytes.length > maxMessageBytes) {
    throw new TtlvError(
      'TOO_LARGE',
      0,
      `TTLV input is ${bytes.length} bytes, above the ${maxMessageBytes}-byte limit (raise maxMessageBytes if this is expected)`,
    );
  }
  const cursor: Cursor = {
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    maxMessageBytes,
    maxDepth,
    pos: 0,
  };
  const item = readItem(cursor, bytes.length, 1);
  const end = cursor.pos;
  if (end !== bytes.length) {
    throw new TtlvError(
      'TRAILING_BYTES',
      end,
      `${bytes.length - end} unexpected byte(s) after the top-level item at ${describeOffset(end)}`,
    );
  }
  return item;
}

/**
 * Reads a message header (the first 8 bytes of a framed message) and returns the total size of the message,
 * header included, after checking it against the cap. For the transport: call it before allocating a buffer.
 */
export function messageSizeFromHeader(header: Uint8Array, maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES): number {
  if (header.length < HEADER_BYTES) {
    throw new TtlvError('TRUNCATED', header.length, `a TTLV header needs 8 bytes, got ${header.length}`);
  }
  const type = header[3] as number;
  if (type !== ItemType.Structure) {
    throw new TtlvError('UNKNOWN_TYPE', 3, `a KMIP message must be a Structure (type 0x01), got type 0x${hex2(type)}`);
  }
  const length = readUint32(header, 4);
  if (length % 8 !== 0) {
    throw new TtlvError('BAD_LENGTH', 4, `a Structure length must be a multiple of 8, got ${length}`);
  }
  const total = HEADER_BYTES + length;
  if (total > maxMessageBytes) {
    throw new TtlvError(
      'TOO_LARGE',
      4,
      `the message header announces ${total} bytes, above the ${maxMessageBytes}-byte limit`,
    );
  }
  return total;
}

function readItem(c: Cursor, limit: number, depth: number): TtlvItem {
  const { bytes } = c;
  const pos = c.pos;
  if (limit - pos < HEADER_BYTES) {
    throw overrun(c, limit, pos, `an item header needs 8 bytes at ${describeOffset(pos)}, only ${limit - pos} left`);
  }
  const tag = ((bytes[pos] as number) << 16) | ((bytes[pos + 1] as number) << 8) | (bytes[pos + 2] as number);
  const type = bytes[pos + 3] as number;
  const length = readUint32(bytes, pos + 4);
  const start = pos + HEADER_BYTES;

  if (type < ItemType.Structure || type > ItemType.DateTimeExtended) {
    throw new TtlvError('UNKNOWN_TYPE', pos + 3, `unknown item type 0x${hex2(type)} for tag ${tagHex(tag)} at ${describeOffset(pos + 3)}`);
  }
  checkLength(type, length, tag, pos);
  // The cap check comes before any use of `length` beyond comparisons: a hostile 2 GiB length stops here.
  if (length > c.maxMessageBytes) {
    throw new TtlvError('TOO_LARGE', pos + 4, `${typeAndTag(type, tag)} at ${describeOffset(pos)} announces ${length} bytes, above the ${c.maxMessageBytes}-byte limit`);
  }
  const padded = length + ((8 - (length & 7)) & 7);
  const end = start + padded;
  if (end > limit) {
    throw overrun(c, limit, pos, `${typeAndTag(type, tag)} at ${describeOffset(pos)} announces ${length} value bytes (${padded} with padding) but only ${limit - start} remain`);
  }
  for (let i = start + length; i < end; i++) {
    if (bytes[i] !== 0) {
      throw new TtlvError('BAD_PADDING', i, `non-zero padding byte 0x${hex2(bytes[i] as number)} at ${describeOffset(i)} after ${typeAndTag(type, tag)}`);
    }
  }

  switch (type) {
    case ItemType.Structure: {
      if (depth > c.maxDepth) {
        throw new TtlvError('TOO_DEEP', pos, `structures nested deeper than ${c.maxDepth} levels at ${describeOffset(pos)}`);
      }
      const children: TtlvItem[] = [];
      c.pos = start;
      while (c.pos < end) children.push(readItem(c, end, depth + 1));
      return { tag, type, value: children };
    }
    case ItemType.Integer:
      c.pos = end;
      return { tag, type, value: readUint32(bytes, start) | 0 };
    case ItemType.Enumeration:
    case ItemType.Interval:
      c.pos = end;
      return { tag, type, value: readUint32(bytes, start) };
    case ItemType.LongInteger:
    case ItemType.DateTime:
    case ItemType.DateTimeExtended:
      c.pos = end;
      return { tag, type, value: readInt64(bytes, start) };
    case ItemType.Boolean: {
      const high = readUint32(bytes, start);
      const low = readUint32(bytes, start + 4);
      if (high !== 0 || low > 1) {
        throw new TtlvError('BAD_BOOLEAN', start, `Boolean ${tagHex(tag)} at ${describeOffset(pos)} must be 0 or 1, got 0x${hex8(high)}${hex8(low)}`);
      }
      c.pos = end;
      return { tag, type, value: low === 1 };
    }
    case ItemType.BigInteger:
      c.pos = end;
      return { tag, type, value: readBigInteger(bytes, pos, length, tag) };
    case ItemType.TextString:
      c.pos = end;
      return { tag, type, value: readText(bytes, start, length, tag) };
    case ItemType.ByteString:
      // Copied, not a view: the input is often a pooled or reused socket buffer, and a view would keep the
      // whole buffer alive and make the value change under the caller if the buffer is reused or wiped.
      c.pos = end;
      return { tag, type, value: bytes.slice(start, start + length) };
    default:
      // unreachable: the type range was checked above
      throw new TtlvError('UNKNOWN_TYPE', pos + 3, `unknown item type 0x${hex2(type)}`);
  }
}

function checkLength(type: ItemTypes, length: number, tag: number, pos: number): void {
  let expected: number | undefined;
  switch (type) {
    case ItemType.Integer:
    case ItemType.Enumeration:
    case ItemType.Interval:
      expected = 4;
      break;
    case ItemType.LongInteger:
    case ItemType.DateTime:
    case ItemType.DateTimeExtended:
    case ItemType.Boolean:
      expected = 8;
      break;
    case ItemType.BigInteger:
      if (length === 0 || length % 8 !== 0) {
        throw new TtlvError('BAD_LENGTH', pos + 4, `Big Integer ${tagHex(tag)} at ${describeOffset(pos)} must have a non-zero length that is a multiple of 8, got ${length}`);
      }
      return;
    case ItemType.Structure:
      if (length % 8 !== 0) {
        throw new TtlvError('STRUCTURE_LENGTH_MISMATCH', pos + 4, `Structure ${tagHex(tag)} at ${describeOffset(pos)} has length ${length}, which is not a sum of padded items (multiple of 8)`);
      }
      return;
    default:
      return;
  }
  if (length !== expected) {
    throw new TtlvError('BAD_LENGTH', pos + 4, `${typeAndTag(type, tag)} at ${describeOffset(pos)} must have length ${expected}, got ${length}`);
  }
}

/** The value of the Big Integer item at `pos`; its value starts after the 8-byte header. */
function readBigInteger(bytes: Uint8Array, pos: number, length: number, tag: number): bigint {
  const start = pos + HEADER_BYTES;
  const first = bytes[start] as number;
  if (length > 8 && (first === 0x00 || first === 0xff)) {
    // Non-minimal when the whole first 8-byte block only repeats the sign of the byte after it.
    const signOfRest = (bytes[start + 8] as number) & 0x80 ? 0xff : 0x00;
    let redundant = first === signOfRest;
    for (let i = start + 1; redundant && i < start + 8; i++) redundant = bytes[i] === first;
    if (redundant) {
      // The offset is the value's start, as for BAD_BOOLEAN; the text names the item's start like every other message.
      throw new TtlvError(
        'NON_MINIMAL_BIG_INTEGER',
        start,
        `Big Integer ${tagHex(tag)} at ${describeOffset(pos)} starts its value (at ${describeOffset(start)}) with a redundant 8-byte block of sign extension: KMIP requires the fewest 8-byte blocks that hold the value and its sign`,
      );
    }
  }
  let hex = '';
  for (let i = start; i < start + length; i++) hex += HEX_BYTE[bytes[i] as number];
  const unsigned = BigInt('0x' + hex);
  return first & 0x80 ? unsigned - (1n << BigInt(length * 8)) : unsigned;
}

function readText(bytes: Uint8Array, start: number, length: number, tag: number): string {
  // Fast path for ASCII, the common case (identifiers, names); anything else goes through the fatal decoder.
  if (length <= 64) {
    let ascii = true;
    for (let i = start; i < start + length; i++) {
      if ((bytes[i] as number) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, start + length) as unknown as number[]);
  }
  try {
    return utf8.decode(bytes.subarray(start, start + length));
  } catch {
    throw new TtlvError('BAD_UTF8', start, `Text String ${tagHex(tag)} at ${describeOffset(start)} is not valid UTF-8`);
  }
}

/** TRUNCATED when the input itself ends too early, STRUCTURE_LENGTH_MISMATCH when an enclosing structure does. */
function overrun(c: Cursor, limit: number, pos: number, message: string): TtlvError {
  const code: TtlvErrorCode = limit === c.bytes.length ? 'TRUNCATED' : 'STRUCTURE_LENGTH_MISMATCH';
  const detail = code === 'TRUNCATED' ? 'input ends early' : `enclosing structure ends at ${describeOffset(limit)}`;
  return new TtlvError(code, pos, `${message} (${detail})`);
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (((bytes[at] as number) << 24) >>> 0) + (((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number));
}

/** A signed 64-bit big-endian value. Through one Number when it fits in 53 bits (dates, counters), which is cheaper than BigInt arithmetic. */
function readInt64(bytes: Uint8Array, at: number): bigint {
  const high = readUint32(bytes, at) | 0;
  const low = readUint32(bytes, at + 4);
  if (high >= -0x200000 && high < 0x200000) return BigInt(high * 0x100000000 + low);
  return (BigInt(high) << 32n) + BigInt(low);
}

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
function tagHex(tag: number): string {
  return '0x' + tag.toString(16).padStart(6, '0');
}
function typeAndTag(type: ItemTypes, tag: number): string {
  return `${itemTypeName(type)} ${tagHex(tag)}`;
}
