// The KMIP JSON encoding (OASIS "KMIP Additional Message Encodings", JSON profile) of a TTLV tree:
//   {"tag": "RequestHeader" | "0x42xxxx", "type": "<ItemType>" (omitted for Structure), "value": ...}
// Value forms written: Structure = array of items; Integer and Interval = number (bit-mask tags such as
// CryptographicUsageMask = names joined with "|", unnamed bits as "0x........"); Long Integer and Big Integer =
// number when |v| < 2^52 (the profile's rule, as kmip-go's two implementations apply it), else "0x" +
// two's-complement hex (16 digits for Long Integer, the minimal multiple of 16 for Big Integer); Enumeration = spec name, else "0x" + 8 hex digits; Boolean = true/false;
// Text String = string; Byte String = hex without prefix; Date-Time = ISO 8601 UTC ("2001-01-01T10:00:00Z");
// Date-Time Extended = ISO 8601 UTC with 6 fraction digits. Dates outside years 0000–9999 are written as "0x" + 16
// hex digits. The reader also accepts every hex form above, numbers for enumerations, Long and Big Integer numbers
// up to ±(2^53 - 1) (still exact as JSON numbers), and any ISO 8601 offset; the "|" form only for mask Integers.
// The enumeration of an Attribute Value (KMIP 1.x) is taken from its sibling Attribute Name, as the profile says.
import { hasLoneSurrogate } from './encode';
import { TtlvError } from './errors';
import { itemTypeByName, itemTypeName } from './item-types';
import { keyPathStep, QUOTE_CHARS, quoteJsonString, quoteJsonText } from './json-quote';
import { scanJson } from './json-scan';
import { DEFAULT_MAX_DEPTH, MAX_DEPTH_CEILING } from './limits';
import { enumerationTableForTag, type EnumerationTable } from './names';
import { Tag, tagByName, tagName } from './tags';
import { ItemType, type TtlvItem } from './types';

/** One item in the KMIP JSON encoding. */
export interface KmipJsonItem {
  tag: string;
  /** item type name; absent for a Structure */
  type?: string;
  value: KmipJsonItem[] | string | number | boolean;
}

export interface FromKmipJsonOptions {
  /** reject structures nested deeper than this (default DEFAULT_MAX_DEPTH) */
  maxDepth?: number;
}

const MIN_ISO_SECONDS = -62167219200n; // 0000-01-01T00:00:00Z
const MAX_ISO_SECONDS = 253402300799n; // 9999-12-31T23:59:59Z

// ---------------------------------------------------------------------------------------------- TTLV -> JSON

/** Converts a decoded TTLV tree to the KMIP JSON encoding (a plain object, ready for JSON.stringify). */
export function toKmipJson(item: TtlvItem): KmipJsonItem {
  return itemToJson(item, undefined);
}

function itemToJson(item: TtlvItem, contextTable: EnumerationTable | undefined): KmipJsonItem {
  const tag = tagName(item.tag) ?? hexTag(item.tag);
  if (item.type === ItemType.Structure) {
    let attributeTable: EnumerationTable | undefined;
    const children: KmipJsonItem[] = [];
    for (const child of item.value) {
      children.push(itemToJson(child, child.tag === Tag.AttributeValue ? attributeTable : undefined));
      if (child.tag === Tag.AttributeName && child.type === ItemType.TextString) {
        attributeTable = tableForAttributeName(child.value);
      }
    }
    return { tag, value: children };
  }
  const type = itemTypeName(item.type);
  const table = contextTable ?? enumerationTableForTag(item.tag);
  switch (item.type) {
    case ItemType.Integer:
      return { tag, type, value: table?.kind === 'mask' ? maskToJson(item.value, table) : item.value };
    case ItemType.Enumeration: {
      const name = table?.kind === 'enumeration' ? table.byValue.get(item.value) : undefined;
      return { tag, type, value: name ?? hex32(item.value) };
    }
    case ItemType.Interval:
      return { tag, type, value: item.value };
    case ItemType.LongInteger:
      return { tag, type, value: jsonNumber(item.value) ?? '0x' + BigInt.asUintN(64, item.value).toString(16).padStart(16, '0') };
    case ItemType.BigInteger:
      return { tag, type, value: jsonNumber(item.value) ?? bigIntegerHex(item.value) };
    case ItemType.Boolean:
    case ItemType.TextString:
      return { tag, type, value: item.value };
    case ItemType.ByteString:
      return { tag, type, value: Buffer.from(item.value.buffer, item.value.byteOffset, item.value.byteLength).toString('hex') };
    case ItemType.DateTime:
      return { tag, type, value: isoFromSeconds(item.value, undefined) };
    case ItemType.DateTimeExtended: {
      const micros = ((item.value % 1_000_000n) + 1_000_000n) % 1_000_000n;
      return { tag, type, value: isoFromSeconds((item.value - micros) / 1_000_000n, micros, item.value) };
    }
  }
}

function maskToJson(value: number, table: EnumerationTable): string | number {
  if (value === 0) return 0;
  let rest = value >>> 0;
  const names: string[] = [];
  for (const [name, bit] of table.byName) {
    if ((rest & bit) >>> 0 === bit) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) names.push(hex32(rest));
  return names.join('|');
}

function isoFromSeconds(seconds: bigint, micros: bigint | undefined, raw: bigint = seconds): string {
  if (seconds < MIN_ISO_SECONDS || seconds > MAX_ISO_SECONDS) {
    return '0x' + BigInt.asUintN(64, raw).toString(16).padStart(16, '0');
  }
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19); // YYYY-MM-DDTHH:MM:SS
  return micros === undefined ? `${base}Z` : `${base}.${micros.toString().padStart(6, '0')}Z`;
}

/** Largest magnitude (exclusive) written as a JSON number: from 2^52 on, the profile writes hex. */
const JSON_NUMBER_LIMIT = 1n << 52n;

/** The value as a JSON number when the profile writes it so (|value| < 2^52), else undefined. */
function jsonNumber(value: bigint): number | undefined {
  return value > -JSON_NUMBER_LIMIT && value < JSON_NUMBER_LIMIT ? Number(value) : undefined;
}

function bigIntegerHex(value: bigint): string {
  const magnitude = value < 0n ? -value - 1n : value;
  const bits = magnitude === 0n ? 0 : magnitude.toString(2).length;
  const bytes = Math.max(8, Math.ceil((Math.floor(bits / 8) + 1) / 8) * 8);
  return '0x' + BigInt.asUintN(bytes * 8, value).toString(16).padStart(bytes * 2, '0');
}

// ---------------------------------------------------------------------------------------------- JSON -> TTLV

/**
 * Container nesting that valid KMIP JSON can reach: an item object and its value array per Structure level, and
 * the innermost item. Deeper input is refused by fromKmipJson, so the duplicate-key check need not look there.
 */
const MAX_JSON_NESTING = 2 * MAX_DEPTH_CEILING + 1;

/**
 * Parses KMIP JSON text; JSON syntax errors and keys given twice in one item become TtlvError INVALID_JSON.
 * One leading byte order mark is skipped, as editors on Windows save one. Syntax errors name the place and the
 * kind of problem but never quote the input (JSON.parse's own message does, and the input can hold key material).
 */
export function parseKmipJson(text: string, options: FromKmipJsonOptions = {}): TtlvItem {
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    const found = scanJson(json, MAX_JSON_NESTING).problem;
    // No syntax problem means the parser gave up for another reason: a RangeError is nesting too deep for it.
    const message = found
      ? `not valid JSON: ${found.problem} at ${describeTextPosition(json, found.index)}`
      : `not valid JSON${err instanceof RangeError ? ': nested too deeply to read' : ''}`;
    throw new TtlvError('INVALID_JSON', -1, message, '$');
  }
  const { duplicate } = scanJson(json, MAX_JSON_NESTING);
  if (duplicate) {
    // JSON.parse kept the last of the two silently; say which key and where, never the values.
    const where = describeTextPosition(json, duplicate.index);
    throw bad(duplicate.path, `the key ${describeJson(duplicate.key)} is given twice in one item, the second time at ${where}: keep only one`);
  }
  return fromKmipJson(parsed, options);
}

/** "line 3, column 7 (character 52)", all counted from 1, for a 0-based index into `text`. */
function describeTextPosition(text: string, index: number): string {
  let line = 1;
  let lineStart = 0;
  for (let newline = text.indexOf('\n'); newline !== -1 && newline < index; newline = text.indexOf('\n', newline + 1)) {
    line++;
    lineStart = newline + 1;
  }
  return `line ${line}, column ${index - lineStart + 1} (character ${index + 1})`;
}

/** Converts a KMIP JSON value (already parsed) to a TTLV tree, validating every field strictly. */
export function fromKmipJson(json: unknown, options: FromKmipJsonOptions = {}): TtlvItem {
  const maxDepth = Math.min(options.maxDepth ?? DEFAULT_MAX_DEPTH, MAX_DEPTH_CEILING);
  if (!Number.isInteger(maxDepth) || maxDepth < 1) throw new RangeError(`fromKmipJson: maxDepth must be a whole number of at least 1, got ${options.maxDepth}`);
  return itemFromJson(json, '$', 1, maxDepth, undefined);
}

function itemFromJson(json: unknown, path: string, depth: number, maxDepth: number, contextTable: EnumerationTable | undefined): TtlvItem {
  if (!isObject(json)) {
    throw bad(path, `expected an item object {"tag", "type", "value"}, got ${describeJson(json)}`);
  }
  const record = json;
  for (const key of Object.keys(record)) {
    if (key !== 'tag' && key !== 'type' && key !== 'value') {
      throw bad(`${path}${keyPathStep(key)}`, `unknown field ${quoteJsonText(key)} (an item has only "tag", "type" and "value")`);
    }
  }
  const tag = parseTag(record.tag, `${path}.tag`);
  const type = parseType(record.type, `${path}.type`);
  const valuePath = `${path}.value`;
  const value = record.value;
  if (!('value' in record)) throw bad(valuePath, 'missing "value"');

  if (type === ItemType.Structure) {
    if (!Array.isArray(value)) throw bad(valuePath, `a Structure value must be an array of items, got ${describeJson(value)}`);
    if (depth > maxDepth) throw new TtlvError('TOO_DEEP', -1, `structures nested deeper than ${maxDepth} levels at ${path}`, path);
    const children: TtlvItem[] = [];
    let attributeTable: EnumerationTable | undefined;
    value.forEach((childJson: unknown, index) => {
      const childPath = `${valuePath}[${index}]`;
      // typeof, not String(): String() of a hostile, deeply nested array recurses until the stack overflows
      const isAttributeValue = isObject(childJson) && typeof childJson.tag === 'string' && (childJson.tag === 'AttributeValue' || childJson.tag.toLowerCase() === '0x42000b');
      const child = itemFromJson(childJson, childPath, depth + 1, maxDepth, isAttributeValue ? attributeTable : undefined);
      children.push(child);
      if (child.tag === Tag.AttributeName && child.type === ItemType.TextString) {
        attributeTable = tableForAttributeName(child.value);
      }
    });
    return { tag, type, value: children };
  }

  const table = contextTable ?? enumerationTableForTag(tag);
  switch (type) {
    case ItemType.Integer:
      return { tag, type, value: parseInteger(value, valuePath, table) };
    case ItemType.Enumeration:
      return { tag, type, value: parseEnumeration(value, valuePath, table) };
    case ItemType.Interval:
      return { tag, type, value: parseUint32(value, valuePath, 'Interval') };
    case ItemType.LongInteger:
      return { tag, type, value: parseInt64(value, valuePath, 'Long Integer') };
    case ItemType.BigInteger:
      return { tag, type, value: parseBigInteger(value, valuePath) };
    case ItemType.Boolean:
      return { tag, type, value: parseBoolean(value, valuePath) };
    case ItemType.TextString:
      if (typeof value !== 'string') throw bad(valuePath, `a Text String value must be a string, got ${describeJson(value)}`);
      if (hasLoneSurrogate(value)) throw bad(valuePath, 'a Text String must be valid Unicode (it has a lone UTF-16 surrogate, which has no UTF-8 form)');
      return { tag, type, value };
    case ItemType.ByteString:
      return { tag, type, value: parseByteString(value, valuePath) };
    case ItemType.DateTime:
      return { tag, type, value: parseDate(value, valuePath, false) };
    case ItemType.DateTimeExtended:
      return { tag, type, value: parseDate(value, valuePath, true) };
  }
}

const HEX_TAG_FORM = '"0x" + 6 hex digits (0x42xxxx: spec tags, 0x54xxxx: extensions)';

/**
 * A tag name, or any 3-byte hex tag: the decoder reads every tag value and writes unknown ones as hex, so
 * the reader takes them all back, and a message from any server round-trips byte for byte.
 */
function parseTag(value: unknown, path: string): number {
  if (typeof value !== 'string') throw bad(path, `"tag" must be a tag name (e.g. "RequestHeader") or ${HEX_TAG_FORM}, got ${describeJson(value)}`);
  if (/^0x[0-9a-fA-F]{6}$/.test(value)) return parseInt(value.slice(2), 16);
  if (/^0x/i.test(value)) throw bad(path, `a hex tag is ${HEX_TAG_FORM}, e.g. "0x42000d", got ${describeJson(value)}`);
  const tag = tagByName(value);
  if (tag === undefined) throw bad(path, `unknown tag name ${describeJson(value)} (use the spec name without spaces, e.g. "UniqueBatchItemID", or ${HEX_TAG_FORM})`);
  return tag;
}

function parseType(value: unknown, path: string): ItemType {
  if (value === undefined) return ItemType.Structure;
  const type = typeof value === 'string' ? itemTypeByName(value) : undefined;
  if (type === undefined) {
    throw bad(path, `unknown type ${describeJson(value)} (one of Structure, Integer, LongInteger, BigInteger, Enumeration, Boolean, TextString, ByteString, DateTime, Interval, DateTimeExtended)`);
  }
  return type;
}

function parseInteger(value: unknown, path: string, table: EnumerationTable | undefined): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw bad(path, `an Integer must be a whole number from -2147483648 to 2147483647, got ${value}`);
    return value;
  }
  const mask = table?.kind === 'mask' ? table : undefined;
  if (typeof value !== 'string') throw bad(path, `an Integer value must be a number, "0x" + 8 hex digits${mask ? ' or mask names joined with "|"' : ''}, got ${describeJson(value)}`);
  if (!mask) {
    // "a|b" combines bits, which only a mask has: for a length or a count it would silently be another number.
    const hex = parseHex32(value);
    if (hex === undefined) throw bad(path, `an Integer string must be "0x" + 8 hex digits, got ${describeJson(value)}`);
    return hex | 0;
  }
  let bits = 0;
  for (const part of value.split('|')) {
    const bit = parseHex32(part) ?? mask.byName.get(part);
    if (bit === undefined) throw bad(path, `"${part}" is neither a known ${mask.name} bit name nor "0x" + 8 hex digits`);
    bits = (bits | bit) >>> 0;
  }
  return bits | 0;
}

function parseEnumeration(value: unknown, path: string, table: EnumerationTable | undefined): number {
  if (typeof value === 'number') return parseUint32(value, path, 'Enumeration');
  if (typeof value !== 'string') throw bad(path, `an Enumeration value must be a name or "0x" + 8 hex digits, got ${describeJson(value)}`);
  const hex = parseHex32(value);
  if (hex !== undefined) return hex;
  const named = table?.kind === 'enumeration' ? table.byName.get(value) : undefined;
  if (named === undefined) {
    throw bad(path, table ? `"${value}" is not a known ${table.name} value name (or use "0x" + 8 hex digits)` : `this tag has no named values; use "0x" + 8 hex digits instead of "${value}"`);
  }
  return named;
}

function parseUint32(value: unknown, path: string, what: string): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw bad(path, `an ${what} must be a whole number from 0 to 4294967295, got ${value}`);
    return value;
  }
  const hex = typeof value === 'string' ? parseHex32(value) : undefined;
  if (hex === undefined) throw bad(path, `an ${what} value must be a number or "0x" + 8 hex digits, got ${describeJson(value)}`);
  return hex;
}

const LONG_INTEGER_HEX_FORM = '"0x" + 16 hex digits';
const BIG_INTEGER_HEX_FORM = '"0x" + hex digits in multiples of 16';

/** A JSON number for a Long or Big Integer, which must be exact: whole, and within ±(2^53 - 1). */
function exactInteger(value: number, path: string, what: string, hexForm: string): bigint {
  if (Number.isSafeInteger(value)) return BigInt(value);
  // The number is not quoted: a Big Integer can be key material, and beyond 2^53 JSON.parse has already rounded
  // the digits typed, so the number read would be a wrong value.
  if (Number.isFinite(value) && !Number.isInteger(value)) throw bad(path, `a ${what} must be a whole number, got a fraction`);
  throw bad(path, `this ${what} number is beyond ±9007199254740991 (2^53 - 1), past which JSON numbers lose digits: give it as a string of ${hexForm}, in two's complement (e.g. "0x0020000000000000" is 2^53)`);
}

function parseInt64(value: unknown, path: string, what: string): bigint {
  if (typeof value === 'number') return exactInteger(value, path, what, LONG_INTEGER_HEX_FORM);
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{16}$/.test(value)) return BigInt.asIntN(64, BigInt(value));
  throw bad(path, `a ${what} value must be a number or ${LONG_INTEGER_HEX_FORM}, got ${describeJson(value)}`);
}

function parseBigInteger(value: unknown, path: string): bigint {
  if (typeof value === 'number') return exactInteger(value, path, 'Big Integer', BIG_INTEGER_HEX_FORM);
  // Hex check and length check apart: a repeated group such as /^0x([0-9a-f]{16})+$/ backtracks per group and
  // overflows the regexp stack on a multi-megabyte value.
  if (typeof value === 'string' && /^0x[0-9a-fA-F]+$/.test(value) && (value.length - 2) % 16 === 0) {
    return BigInt.asIntN((value.length - 2) * 4, BigInt(value));
  }
  throw bad(path, `a Big Integer value must be a number or ${BIG_INTEGER_HEX_FORM}, got ${describeWithoutContent(value)}`);
}

function parseBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === '0x0000000000000000') return false;
  if (value === '0x0000000000000001') return true;
  throw bad(path, `a Boolean value must be true, false, "0x0000000000000000" or "0x0000000000000001", got ${describeJson(value)}`);
}

function parseByteString(value: unknown, path: string): Uint8Array {
  if (typeof value !== 'string' || value.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(value)) {
    throw bad(path, `a Byte String value must be an even number of hex digits without "0x", got ${describeWithoutContent(value)}`);
  }
  return new Uint8Array(Buffer.from(value, 'hex'));
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

function parseDate(value: unknown, path: string, extended: boolean): bigint {
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{16}$/.test(value)) return BigInt.asIntN(64, BigInt(value));
  const what = extended ? 'Date-Time Extended' : 'Date-Time';
  const match = typeof value === 'string' ? ISO_8601.exec(value) : null;
  if (!match) throw bad(path, `a ${what} value must be ISO 8601 (e.g. "2001-01-01T10:00:00Z") or "0x" + 16 hex digits, got ${describeJson(value)}`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = (match[7] ?? '').padEnd(9, '0');
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day);
  check.setUTCHours(hour, minute, second, 0);
  const ms = check.getTime();
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw bad(path, `"${value}" is not a valid calendar date and time`);
  }
  const zone = match[8] as string;
  // ISO 8601 offsets run to ±23:59 (real ones to +14:00): "+99:99" would shift the time by 100 hours unnoticed.
  if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59)) {
    throw bad(path, `"${value}" has the offset ${zone}, which is not a time of day: use Z or an offset from -23:59 to +23:59`);
  }
  const offsetMinutes = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const seconds = BigInt(ms / 1000) - BigInt(offsetMinutes * 60);
  const micros = BigInt(fraction.slice(0, 6));
  if (fraction.slice(6) !== '000' || (!extended && micros !== 0n)) {
    throw bad(path, `"${value}" has more precision than a ${what} holds (${extended ? 'microseconds' : 'whole seconds'})`);
  }
  return extended ? seconds * 1_000_000n + micros : seconds;
}

// ---------------------------------------------------------------------------------------------- helpers

/** The enumeration or mask table of a KMIP 1.x attribute, from its Attribute Name (e.g. "Cryptographic Algorithm"). */
function tableForAttributeName(attributeName: string): EnumerationTable | undefined {
  const tag = tagByName(normalizeSpecName(attributeName));
  return tag === undefined ? undefined : enumerationTableForTag(tag);
}

/**
 * The profile's name normalisation: "Cryptographic Usage Mask" -> "CryptographicUsageMask",
 * "X.509 Certificate Identifier" -> "X_509CertificateIdentifier".
 */
export function normalizeSpecName(name: string): string {
  const words = name
    .replace(/[()]/g, ' ')
    .replace(/[^A-Za-z0-9_](?=[A-Za-z][a-z])/g, ' ')
    .replace(/[^A-Za-z0-9_\s]/g, '_')
    .split(/\s+/)
    .filter((word) => word.length > 0);
  const first = words[0];
  const leadingDigits = first === undefined ? null : /^(\d+)(.*)$/.exec(first);
  if (leadingDigits) words[0] = (leadingDigits[2] as string) + (leadingDigits[1] as string);
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseHex32(text: string): number | undefined {
  return /^0x[0-9a-fA-F]{8}$/.test(text) ? parseInt(text.slice(2), 16) : undefined;
}

function hex32(value: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(8, '0');
}

function hexTag(tag: number): string {
  return '0x' + tag.toString(16).padStart(6, '0');
}


/** The JSON of a value for an error message, cut to QUOTE_CHARS characters. */
function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = jsonPreview(value, QUOTE_CHARS + 1);
  return text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS - 3)}...` : text;
}

/**
 * JSON.stringify(value), stopped once `budget` characters are written. Never the whole value: input can be
 * megabytes long or nested deeper than JSON.stringify can recurse. Each level writes a bracket, so the budget
 * also bounds the recursion.
 */
function jsonPreview(value: unknown, budget: number): string {
  if (budget <= 0) return '';
  if (typeof value === 'string') return quoteJsonString(value.slice(0, budget));
  if (typeof value === 'bigint') return 'a bigint'; // JSON.stringify throws on one
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  // array entries have number keys; entries() rather than Object.entries, which would list a huge array whole
  const entries: Iterable<[number | string, unknown]> = Array.isArray(value) ? value.entries() : Object.entries(value);
  let text = Array.isArray(value) ? '[' : '{';
  for (const [key, entry] of entries) {
    if (text.length >= budget) return text;
    if (text.length > 1) text += ',';
    if (typeof key === 'string') text += `${quoteJsonString(key.slice(0, budget))}:`;
    text += jsonPreview(entry ?? null, budget - text.length);
  }
  return text + (Array.isArray(value) ? ']' : '}');
}

/** Byte Strings and Big Integers can hold key material: say what was wrong without echoing the value. */
function describeWithoutContent(value: unknown): string {
  if (typeof value !== 'string') return describeJson(value);
  const nonHex = /[^0-9a-fA-F]/.exec(value.startsWith('0x') ? value.slice(2) : value);
  return `a string of ${value.length} characters${value.startsWith('0x') ? ' starting with "0x"' : ''}${nonHex ? ` with a non-hex character at position ${nonHex.index + (value.startsWith('0x') ? 2 : 0)}` : ''}`;
}

function bad(path: string, message: string): TtlvError {
  return new TtlvError('INVALID_JSON', -1, `${path}: ${message}`, path);
}
