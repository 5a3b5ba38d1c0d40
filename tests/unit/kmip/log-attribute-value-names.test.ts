// The debug log tree names enumerations and masks as `ttlv decode` does, including a KMIP 1.x Attribute
// Value, whose table comes from its sibling Attribute Name.
import { describe, expect, it } from 'vitest';
import { describeMessage, formatTtlvTree } from '../../../main/kmip/log';
import { buildRequestMessage, createAesKey } from '../../../main/kmip/messages';
import { counterBatchItemId } from '../../../main/kmip/transport/batch-ids';
import { CryptographicUsageMask, ItemType, Operation, Tag, toKmipJson } from '../../../main/kmip/ttlv';
import type { KmipVersion } from '../../../main/kmip/messages';
import type { TtlvItem } from '../../../main/kmip/ttlv';

function createRequest(version: KmipVersion) {
  const payload = createAesKey.buildPayload({ length: 256, usageMask: CryptographicUsageMask.Encrypt | CryptographicUsageMask.Decrypt }, version);
  return buildRequestMessage({ version }, [{ operation: Operation.Create, uniqueBatchItemId: counterBatchItemId(1), payload }]);
}

describe('the debug log tree', () => {
  it('names a 1.x Attribute Value enumeration and mask by the sibling Attribute Name, as `ttlv decode` does', () => {
    const request = createRequest('1.0');
    const { tree } = describeMessage(request);
    expect(tree).toMatch(/AttributeName \(TextString\): "Cryptographic Algorithm"\n\s+AttributeValue \(Enumeration\): AES$/m);
    expect(tree).toMatch(/AttributeName \(TextString\): "Cryptographic Usage Mask"\n\s+AttributeValue \(Integer\): Encrypt\|Decrypt$/m);
    expect(tree).toMatch(/AttributeName \(TextString\): "Cryptographic Length"\n\s+AttributeValue \(Integer\): 256$/m);
    // the same names as the JSON form
    expect(JSON.stringify(toKmipJson(request))).toContain('"value":"Encrypt|Decrypt"');
  });

  it('names a 2.x mask attribute by its tag', () => {
    const tree = formatTtlvTree(createRequest('2.0'));
    expect(tree).toContain('CryptographicAlgorithm (Enumeration): AES');
    expect(tree).toContain('CryptographicUsageMask (Integer): Encrypt|Decrypt');
  });
});

describe('the debug log tree of dates', () => {
  it('shows a Date-Time as ISO 8601, and one beyond what Date can hold as hex instead of throwing', () => {
    const message: TtlvItem = {
      tag: Tag.ResponseHeader,
      type: ItemType.Structure,
      value: [
        { tag: Tag.TimeStamp, type: ItemType.DateTime, value: 978343200n },
        { tag: Tag.TimeStamp, type: ItemType.DateTime, value: 0x7fffffffffffffffn },
      ],
    };
    const tree = formatTtlvTree(message);
    expect(tree).toContain('TimeStamp (DateTime): 2001-01-01T10:00:00Z');
    expect(tree).toContain('TimeStamp (DateTime): 0x7fffffffffffffff');
  });
});
