// Two rules of the KMIP JSON profile, as both kmip-go implementations apply them: a Long or Big Integer
// is a JSON number only when |v| < 2^52 (hex beyond), and the "a|b" form belongs to mask Integers only.
import { describe, expect, it } from 'vitest';
import { encodeTtlv, fromKmipJson, ItemType, Tag, toKmipJson, type TtlvItem } from '../../../main/kmip/ttlv';
import { jsonError } from './ttlv-error-of';

const long = (value: bigint): TtlvItem => ({ tag: Tag.Offset, type: ItemType.LongInteger, value });
const big = (value: bigint): TtlvItem => ({ tag: Tag.Modulus, type: ItemType.BigInteger, value });
const TWO_52 = 1n << 52n;

describe('Long and Big Integer values in JSON', () => {
  it('are numbers below 2^52 in magnitude and hex strings from 2^52 on', () => {
    const cases: Array<[TtlvItem, number | string]> = [
      [long(TWO_52 - 1n), 4503599627370495],
      [long(-(TWO_52 - 1n)), -4503599627370495],
      [long(TWO_52), '0x0010000000000000'],
      [long(-TWO_52), '0xfff0000000000000'],
      [long((1n << 53n) - 1n), '0x001fffffffffffff'],
      [big(TWO_52 - 1n), 4503599627370495],
      [big(-(TWO_52 - 1n)), -4503599627370495],
      [big(TWO_52), '0x0010000000000000'],
      [big(-TWO_52), '0xfff0000000000000'],
    ];
    for (const [item, expected] of cases) {
      expect(toKmipJson(item).value, `${item.value}`).toBe(expected);
      expect(fromKmipJson(toKmipJson(item))).toEqual(item);
    }
  });

  it('are still read from numbers up to 2^53 - 1 exactly', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(fromKmipJson({ tag: 'Offset', type: 'LongInteger', value: max })).toEqual(long(BigInt(max)));
    expect(fromKmipJson({ tag: 'Modulus', type: 'BigInteger', value: -max })).toEqual(big(-BigInt(max)));
  });
});

describe('the "a|b" form of an Integer', () => {
  it('combines the bits of a mask Integer, by name or hex', () => {
    const usage = fromKmipJson({ tag: 'CryptographicUsageMask', type: 'Integer', value: 'Encrypt|0x00000008' });
    expect(usage).toEqual({ tag: Tag.CryptographicUsageMask, type: ItemType.Integer, value: 0x0c });
    expect(fromKmipJson({ tag: 'StorageStatusMask', type: 'Integer', value: '0x00000001|ArchivalStorage' })).toMatchObject({ value: 3 });
    expect(fromKmipJson({ tag: 'ProtectionStorageMask', type: 'Integer', value: 'Software|Hardware' })).toMatchObject({ value: 3 });
  });

  it('combines the bits of a 1.x Attribute Value whose Attribute Name is a mask attribute', () => {
    const attribute = fromKmipJson({
      tag: 'Attribute',
      value: [
        { tag: 'AttributeName', type: 'TextString', value: 'Cryptographic Usage Mask' },
        { tag: 'AttributeValue', type: 'Integer', value: '0x00000004|0x00000008' },
      ],
    });
    expect(attribute).toMatchObject({ value: [{}, { value: 12 }] });
  });

  it('is refused for any other Integer, with the JSON path named', () => {
    const error = jsonError({ tag: 'RequestMessage', value: [{ tag: 'CryptographicLength', type: 'Integer', value: '0x00000001|0x00000002' }] });
    expect(error.code).toBe('INVALID_JSON');
    expect(error.path).toBe('$.value[0].value');
    expect(error.message).toBe('$.value[0].value: an Integer string must be "0x" + 8 hex digits, got "0x00000001|0x00000002"');

    const attribute = jsonError({
      tag: 'Attribute',
      value: [
        { tag: 'AttributeName', type: 'TextString', value: 'Cryptographic Length' },
        { tag: 'AttributeValue', type: 'Integer', value: '0x00000080|0x00000080' },
      ],
    });
    expect(attribute.path).toBe('$.value[1].value');
  });

  it('leaves a plain hex Integer as it was', () => {
    const item = fromKmipJson({ tag: 'CryptographicLength', type: 'Integer', value: '0xffffffff' });
    expect(item).toEqual({ tag: Tag.CryptographicLength, type: ItemType.Integer, value: -1 });
    expect(encodeTtlv(item).toString('hex')).toBe('42002a0200000004ffffffff00000000');
  });
});
