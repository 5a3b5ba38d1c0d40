// A malformed response's error names where the missing field should be, through every nesting level.
import { describe, expect, it } from 'vitest';
import { expectSuccess, get, parseResponseMessage } from '../../../main/kmip/messages';
import { counterBatchItemId } from '../../../main/kmip/transport/batch-ids';
import { ItemType, Operation, Tag, type TtlvItem } from '../../../main/kmip/ttlv';
import { vector } from './messages-fixtures';

/** `item` without any field tagged `tag`, at any depth. */
function without(item: TtlvItem, tag: number): TtlvItem {
  if (item.type !== ItemType.Structure) return item;
  return { ...item, value: item.value.filter((child) => child.tag !== tag).map((child) => without(child, tag)) };
}

function readGet(response: TtlvItem): unknown {
  const request = { operation: Operation.Get, uniqueBatchItemId: counterBatchItemId(1), payload: [] };
  return get.parseResponse(expectSuccess(parseResponseMessage(response), request), { uniqueIdentifier: '2' }, '1.2');
}

describe('where a missing response field should be', () => {
  it('names the structures around it, innermost first', () => {
    const response = without(vector('pykmip010-get-aes256-response'), Tag.KeyFormatType);
    expect(() => readGet(response)).toThrow(/lacks KeyFormatType in the KeyBlock of the SymmetricKey of the Get Response Payload,/);
  });

  it('names the Response Header within the Response Message', () => {
    const response = without(vector('pykmip010-get-aes256-response'), Tag.BatchCount);
    expect(() => readGet(response)).toThrow(/lacks BatchCount in the ResponseHeader of the Response Message,/);
  });
});
