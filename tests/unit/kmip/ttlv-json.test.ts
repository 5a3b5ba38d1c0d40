// The KMIP JSON encoding: value forms per item type, names, and strict input validation with JSON paths.
import { describe, expect, it } from 'vitest';
import {
  CryptographicUsageMask,
  decodeTtlv,
  encodeTtlv,
  fromKmipJson,
  ItemType,
  normalizeSpecName,
  Operation,
  parseKmipJson,
  Tag,
  toKmipJson,
  type TtlvItem,
} from '../../../main/kmip/ttlv';
import { jsonError, parseError } from './ttlv-error-of';



describe('toKmipJson', () => {
  it('writes each item type in its JSON form', () => {
    const cases: [TtlvItem, unknown][] = [
      [{ tag: Tag.BatchCount, type: ItemType.Integer, value: -7 }, -7],
      [{ tag: Tag.Offset, type: ItemType.LongInteger, value: 5n }, 5],
      [{ tag: Tag.Offset, type: ItemType.LongInteger, value: 1n << 53n }, '0x0020000000000000'],
      [{ tag: Tag.Offset, type: ItemType.LongInteger, value: -1n << 60n }, '0xf000000000000000'],
      [{ tag: Tag.Modulus, type: ItemType.BigInteger, value: 10n }, 10],
      [{ tag: Tag.Modulus, type: ItemType.BigInteger, value: 1n << 64n }, '0x00000000000000010000000000000000'],
      [{ tag: Tag.Modulus, type: ItemType.BigInteger, value: -(1n << 64n) }, '0xffffffffffffffff0000000000000000'],
      [{ tag: Tag.Operation, type: ItemType.Enumeration, value: Operation.RNGRetrieve }, 'RNGRetrieve'],
      [{ tag: Tag.Operation, type: ItemType.Enumeration, value: 0x7fff0001 }, '0x7fff0001'],
      [{ tag: Tag.BatchOrderOption, type: ItemType.Boolean, value: false }, false],
      [{ tag: Tag.Username, type: ItemType.TextString, value: 'ü' }, 'ü'],
      [{ tag: Tag.KeyMaterial, type: ItemType.ByteString, value: new Uint8Array([0xde, 0xad]) }, 'dead'],
      [{ tag: Tag.TimeStamp, type: ItemType.DateTime, value: 0x47da67f8n }, '2008-03-14T11:56:40Z'],
      [{ tag: Tag.TimeStamp, type: ItemType.DateTime, value: -1n }, '1969-12-31T23:59:59Z'],
      [{ tag: Tag.TimeStamp, type: ItemType.DateTime, value: 1n << 40n }, '0x0000010000000000'],
      [{ tag: Tag.LeaseTime, type: ItemType.Interval, value: 864000 }, 864000],
      [{ tag: Tag.ActivationDate, type: ItemType.DateTimeExtended, value: 1_000_000_000_000_001n }, '2001-09-09T01:46:40.000001Z'],
      [{ tag: Tag.ActivationDate, type: ItemType.DateTimeExtended, value: -1n }, '1969-12-31T23:59:59.999999Z'],
      [{ tag: Tag.CryptographicUsageMask, type: ItemType.Integer, value: CryptographicUsageMask.Encrypt | CryptographicUsageMask.Decrypt }, 'Encrypt|Decrypt'],
      [{ tag: Tag.CryptographicUsageMask, type: ItemType.Integer, value: CryptographicUsageMask.Sign | 0x40000000 }, 'Sign|0x40000000'],
      [{ tag: Tag.CryptographicUsageMask, type: ItemType.Integer, value: 0 }, 0],
    ];
    for (const [item, value] of cases) {
      const json = toKmipJson(item);
      expect(json.value).toEqual(value);
      expect(json.type).toBe(Object.entries(ItemType).find(([, code]) => code === item.type)?.[0]);
      expect(fromKmipJson(JSON.parse(JSON.stringify(json)))).toEqual(item);
    }
  });

  it('writes unknown tags as hex, omits the type of a Structure, and nests arrays', () => {
    const json = toKmipJson({
      tag: Tag.RequestPayload,
      type: ItemType.Structure,
      value: [{ tag: 0x540001, type: ItemType.Integer, value: 1 }],
    });
    expect(json).toEqual({ tag: 'RequestPayload', value: [{ tag: '0x540001', type: 'Integer', value: 1 }] });
  });
});

describe('fromKmipJson', () => {
  it('accepts the alternative forms the profile allows', () => {
    const same = (json: unknown, expected: TtlvItem) => expect(fromKmipJson(json)).toEqual(expected);
    same({ tag: '0x42005c', type: 'Enumeration', value: 10 }, { tag: Tag.Operation, type: ItemType.Enumeration, value: 10 });
    same({ tag: 'Operation', type: 'Enumeration', value: '0x0000000A' }, { tag: Tag.Operation, type: ItemType.Enumeration, value: 10 });
    same({ tag: 'BatchCount', type: 'Integer', value: '0x00000005' }, { tag: Tag.BatchCount, type: ItemType.Integer, value: 5 });
    same({ tag: 'BatchOrderOption', type: 'Boolean', value: '0x0000000000000001' }, { tag: Tag.BatchOrderOption, type: ItemType.Boolean, value: true });
    same({ tag: 'TimeStamp', type: 'DateTime', value: '2001-01-01T10:00:00+10:00' }, { tag: Tag.TimeStamp, type: ItemType.DateTime, value: 978307200n });
    same({ tag: 'TimeStamp', type: 'DateTime', value: '0x0000000047DA67F8' }, { tag: Tag.TimeStamp, type: ItemType.DateTime, value: 0x47da67f8n });
    same({ tag: 'CryptographicUsageMask', type: 'Integer', value: 'Decrypt|0x00000040' }, {
      tag: Tag.CryptographicUsageMask, type: ItemType.Integer, value: CryptographicUsageMask.Decrypt | CryptographicUsageMask.Export,
    });
    same({ tag: 'Modulus', type: 'BigInteger', value: '0x00000000000000000000000000000005' }, { tag: Tag.Modulus, type: ItemType.BigInteger, value: 5n });
    same({ tag: 'RequestPayload', type: 'Structure', value: [] }, { tag: Tag.RequestPayload, type: ItemType.Structure, value: [] });
    same({ tag: 'Attribute', value: [
      { tag: 'AttributeName', type: 'TextString', value: 'Object Type' },
      { tag: 'AttributeValue', type: 'Enumeration', value: 'SecretData' },
    ] }, { tag: Tag.Attribute, type: ItemType.Structure, value: [
      { tag: Tag.AttributeName, type: ItemType.TextString, value: 'Object Type' },
      { tag: Tag.AttributeValue, type: ItemType.Enumeration, value: 7 },
    ] });
  });

  it('names the JSON path and the fix in every error', () => {
    const cases: [unknown, string, RegExp][] = [
      [[], '$', /item object/],
      [{ tag: 'NoSuchTag', value: [] }, '$.tag', /unknown tag name/],
      [{ tag: '0x42', value: [] }, '$.tag', /^\$\.tag: a hex tag is "0x" \+ 6 hex digits .*, got "0x42"$/],
      [{ tag: '0x4200000d', value: [] }, '$.tag', /a hex tag is "0x" \+ 6 hex digits/],
      [{ tag: 'BatchCount', type: 'Int', value: 1 }, '$.type', /unknown type/],
      [{ tag: 'BatchCount', type: 'Integer' }, '$.value', /missing/],
      [{ tag: 'BatchCount', type: 'Integer', value: 1, extra: 1 }, '$.extra', /unknown field/],
      [{ tag: 'RequestMessage', value: [{ tag: 'BatchCount', type: 'Integer', value: 2 ** 31 }] }, '$.value[0].value', /-2147483648 to 2147483647/],
      [{ tag: 'RequestMessage', value: [{}, { tag: 'Operation', type: 'Enumeration', value: 'Gett' }] }, '$.value[0].tag', /tag name/],
      [{ tag: 'Operation', type: 'Enumeration', value: 'Gett' }, '$.value', /not a known Operation value name/],
      [{ tag: 'BatchCount', type: 'Enumeration', value: 'Get' }, '$.value', /no named values/],
      [{ tag: 'KeyMaterial', type: 'ByteString', value: '0xdead' }, '$.value', /hex digits without "0x"/],
      [{ tag: 'KeyMaterial', type: 'ByteString', value: 'abc' }, '$.value', /even number/],
      [{ tag: 'Offset', type: 'LongInteger', value: 2 ** 60 }, '$.value', /beyond ±9007199254740991 .*give it as a string of "0x" \+ 16 hex digits/],
      [{ tag: 'Offset', type: 'LongInteger', value: 1.5 }, '$.value', /must be a whole number/],
      [{ tag: 'Modulus', type: 'BigInteger', value: -(2 ** 70) }, '$.value', /beyond ±9007199254740991 .*give it as a string of "0x" \+ hex digits in multiples of 16/],
      [{ tag: 'Offset', type: 'LongInteger', value: '0x01' }, '$.value', /16 hex digits/],
      [{ tag: 'Modulus', type: 'BigInteger', value: '0x0001' }, '$.value', /multiples of 16/],
      [{ tag: 'BatchOrderOption', type: 'Boolean', value: 1 }, '$.value', /true, false/],
      [{ tag: 'TimeStamp', type: 'DateTime', value: '2001-02-29T00:00:00Z' }, '$.value', /not a valid calendar date/],
      [{ tag: 'TimeStamp', type: 'DateTime', value: '2001-01-01T00:00:00.5Z' }, '$.value', /whole seconds/],
      [{ tag: 'TimeStamp', type: 'DateTime', value: 'yesterday' }, '$.value', /ISO 8601/],
      [{ tag: 'TimeStamp', type: 'DateTime', value: '2001-01-01T10:00:00+99:99' }, '$.value', /offset \+99:99, which is not a time of day/],
      [{ tag: 'TimeStamp', type: 'DateTime', value: '2001-01-01T10:00:00-24:00' }, '$.value', /offset -24:00/],
      [{ tag: 'CryptographicUsageMask', type: 'Integer', value: 'Encrypt|Fly' }, '$.value', /"Fly" is neither/],
      [{ tag: 'Username', type: 'TextString', value: 'x\ud800' }, '$.value', /surrogate/],
      [{ tag: 'RequestMessage', value: 'nope' }, '$.value', /array of items/],
    ];
    for (const [json, path, message] of cases) {
      const error = jsonError(json);
      expect(error.code).toBe('INVALID_JSON');
      expect(error.path).toBe(path);
      expect(error.message).toMatch(message);
    }
  });

  it('accepts every 3-byte hex tag, so a decoded message with unknown tags encodes back byte for byte', () => {
    // 0x42xxxx are the spec's tags and 0x54xxxx extensions, but the decoder reads any tag and prints unknown ones
    // as hex: the reader must take each of them back.
    for (const tag of ['000000', '540001', '43ffff', 'ffffff']) {
      const bytes = Buffer.from(`${tag}02000000040000000700000000`, 'hex');
      const json = toKmipJson(decodeTtlv(bytes));
      expect(json.tag).toBe(`0x${tag}`);
      expect(encodeTtlv(parseKmipJson(JSON.stringify(json))).toString('hex')).toBe(bytes.toString('hex'));
    }
  });

  it('says a Long or Big Integer number beyond 2^53 is inexact without quoting the rounded value', () => {
    // JSON.parse reads 12345678901234567890 as 12345678901234567000: that wrong number must not be shown.
    for (const text of [
      '{"tag":"Offset","type":"LongInteger","value":12345678901234567890}',
      '{"tag":"Modulus","type":"BigInteger","value":12345678901234567890}',
    ]) {
      const error = parseError(text);
      expect(error.path).toBe('$.value');
      expect(error.message).toMatch(/beyond ±9007199254740991 \(2\^53 - 1\), past which JSON numbers lose digits: give it as a string of "0x"/);
      expect(error.message).not.toMatch(/1234567890123456|got/);
    }
  });

  it('does not echo Byte String or Big Integer content (key material) in error messages', () => {
    const secret = 'a1b2c3d4e5f60718293a4b5c6d7e8f9z';
    for (const json of [
      { tag: 'KeyMaterial', type: 'ByteString', value: secret },
      { tag: 'PrivateExponent', type: 'BigInteger', value: `0x${secret}` },
    ]) {
      const error = jsonError(json);
      expect(error.message).not.toContain(secret.slice(0, 8));
      expect(error.message).toMatch(/non-hex character at position/);
    }
  });

  it('reports JSON syntax errors and deep nesting as typed errors', () => {
    expect(() => parseKmipJson('{"tag":')).toThrow(expect.objectContaining({ code: 'INVALID_JSON', path: '$' }));
    let deep: unknown = { tag: 'Attribute', value: [] };
    for (let i = 0; i < 100; i++) deep = { tag: 'Attribute', value: [deep] };
    expect(() => fromKmipJson(deep)).toThrow(expect.objectContaining({ code: 'TOO_DEEP' }));
  });

  it('round-trips a message built from JSON back to identical JSON', () => {
    const json = {
      tag: 'RequestMessage',
      value: [
        { tag: 'RequestHeader', value: [{ tag: 'BatchCount', type: 'Integer', value: 1 }] },
        { tag: 'BatchItem', value: [
          { tag: 'Operation', type: 'Enumeration', value: 'Register' },
          { tag: 'UniqueBatchItemID', type: 'ByteString', value: '01020304' },
          { tag: 'RequestPayload', value: [{ tag: 'ObjectType', type: 'Enumeration', value: 'SymmetricKey' }] },
        ] },
      ],
    };
    expect(toKmipJson(decodeTtlv(encodeTtlv(fromKmipJson(json))))).toEqual(json);
  });
});

describe('parseKmipJson duplicate keys', () => {
  it('refuses a key given twice in one item, naming the key, its JSON path and place, but not the values', () => {
    const root = parseError('{"tag":"BatchCount","type":"Integer","value":1,"tag":"ActivationDate"}');
    expect(root).toMatchObject({ code: 'INVALID_JSON', path: '$.tag' });
    expect(root.message).toBe('$.tag: the key "tag" is given twice in one item, the second time at line 1, column 48 (character 48): keep only one');

    // the second "type" is spelt with an escape, which JSON.parse reads as the same key
    const nested = parseError(
      '{"tag":"RequestMessage","value":[{"tag":"BatchCount","type":"Integer","value":1},\n' +
        '{"tag":"KeyMaterial","type":"ByteString","value":"00112233","t\\u0079pe":"TextString"}]}',
    );
    expect(nested).toMatchObject({ code: 'INVALID_JSON', path: '$.value[1].type' });
    expect(nested.message).toMatch(/the key "type" is given twice in one item, the second time at line 2, column 61 /);
    expect(nested.message).not.toMatch(/00112233|TextString|ByteString/);
  });

  it('quotes keys back escaped and cut short: no terminal escape, bidi override or megabyte key reaches a message', () => {
    const escapes = '\u001b]0;pwned\u0007\u001b[2J\u202e[ ok ] fake\n';
    const unknown = parseError(`{"tag":"BatchCount","type":"Integer","value":1,${JSON.stringify(escapes)}:1}`);
    expect(unknown.path).toBe('$["\\u001b]0;pwned\\u0007\\u001b[2J\\u202e[ ok ] fake\\n"]');
    expect(unknown.message).toContain('unknown field "\\u001b]0;pwned');
    const duplicate = parseError(`{"tag":"RequestMessage","value":[{${JSON.stringify(escapes)}:{"a":1,"a":2}}]}`);
    expect(duplicate.path).toBe('$.value[0]["\\u001b]0;pwned\\u0007\\u001b[2J\\u202e[ ok ] fake\\n"].a');
    const unprintable = [...escapes].filter((char) => char < ' ' || char === '\u202e');
    for (const error of [unknown, duplicate]) expect(unprintable.filter((char) => error.message.includes(char))).toEqual([]);

    const huge = parseError(JSON.stringify({ tag: 'BatchCount', type: 'Integer', value: 1, ['k'.repeat(3_000_000)]: 1 }));
    expect(huge.message.length).toBeLessThan(300);
    expect(huge.message).toContain(`unknown field "${'k'.repeat(37)}"...`);
  });

  it('does not take text inside strings, or the same key in different items, for a duplicate', () => {
    const text = JSON.stringify({
      tag: 'RequestMessage',
      value: [
        { tag: 'Username', type: 'TextString', value: '","tag":{"tag":[",\\"tag\\":' },
        { tag: 'Password', type: 'TextString', value: '\\' },
        { tag: 'BatchCount', type: 'Integer', value: 1 },
      ],
    });
    expect(parseKmipJson(text)).toEqual(fromKmipJson(JSON.parse(text)));
  });
});

describe('normalizeSpecName', () => {
  it('follows the profile rules for spec names', () => {
    expect(normalizeSpecName('Unique Batch Item ID')).toBe('UniqueBatchItemID');
    expect(normalizeSpecName('Template-Attribute')).toBe('TemplateAttribute');
    expect(normalizeSpecName('X.509 Certificate Identifier')).toBe('X_509CertificateIdentifier');
    expect(normalizeSpecName('IV/Counter/Nonce')).toBe('IVCounterNonce');
    expect(normalizeSpecName('SHA-256')).toBe('SHA_256');
    expect(normalizeSpecName('3DES')).toBe('DES3');
    expect(normalizeSpecName('Cryptographic Usage Mask')).toBe('CryptographicUsageMask');
  });
});
