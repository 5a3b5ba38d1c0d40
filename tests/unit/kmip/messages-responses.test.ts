import { describe, expect, it } from 'vitest';
import { ItemType, Operation, Tag, type TtlvItem } from '../../../main/kmip/ttlv';
import {
  KmipOperationError,
  KmipResponseError,
  activate,
  createAesKey,
  destroy,
  discoverVersions,
  expectSuccess,
  formatProtocolVersion,
  get,
  getAttributes,
  locate,
  parseResponseMessage,
  query,
  registerSecretData,
  revoke,
  rngRetrieve,
  type KmipOperation,
  type KmipVersion,
} from '../../../main/kmip/messages';
import { vector } from './messages-fixtures';

const REQUEST_ID = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1]);

/** Parses `response` as the answer to one `operation` request, as KmipClient does. */
function answer<Args, Result>(operation: KmipOperation<Args, Result>, args: Args, response: TtlvItem, version: KmipVersion = '1.2'): Result {
  const payload = expectSuccess(parseResponseMessage(response), {
    operation: operation.code,
    uniqueBatchItemId: REQUEST_ID,
    payload: [],
  });
  return operation.parseResponse(payload, args, version);
}

function failure(operation: KmipOperation<never, unknown>, response: TtlvItem): KmipOperationError {
  try {
    expectSuccess(parseResponseMessage(response), { operation: operation.code, uniqueBatchItemId: REQUEST_ID, payload: [] });
  } catch (error) {
    if (error instanceof KmipOperationError) return error;
    throw error;
  }
  throw new Error('the response was accepted as a success');
}

/** A copy of `item` with `edit` applied to every structure's children, depth first. */
function rewrite(item: TtlvItem, edit: (children: TtlvItem[], parent: TtlvItem) => TtlvItem[]): TtlvItem {
  if (item.type !== ItemType.Structure) return item;
  return { ...item, value: edit(item.value.map((child) => rewrite(child, edit)), item) };
}

const struct = (tag: number, value: TtlvItem[]): TtlvItem => ({ tag, type: ItemType.Structure, value });
const text = (tag: number, value: string): TtlvItem => ({ tag, type: ItemType.TextString, value });
const int = (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Integer, value });
const enumItem = (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Enumeration, value });

/** A 1.2 Response Message with one successful batch item for `operation` carrying `payload`. */
function successResponse(operation: number, payload: TtlvItem[]): TtlvItem {
  return struct(Tag.ResponseMessage, [
    struct(Tag.ResponseHeader, [
      struct(Tag.ProtocolVersion, [int(Tag.ProtocolVersionMajor, 1), int(Tag.ProtocolVersionMinor, 2)]),
      { tag: Tag.TimeStamp, type: ItemType.DateTime, value: 1795868703n },
      int(Tag.BatchCount, 1),
    ]),
    struct(Tag.BatchItem, [
      enumItem(Tag.Operation, operation),
      enumItem(Tag.ResultStatus, 0),
      struct(Tag.ResponsePayload, payload),
    ]),
  ]);
}

describe('successful responses from the vectors', () => {
  it('reads the Response Header', () => {
    const parsed = parseResponseMessage(vector('pykmip010-get-aes256-response'));
    expect(formatProtocolVersion(parsed.version)).toBe('1.2');
    expect(parsed.timeStamp?.getTime()).toBe(1795868703_000);
    expect(parsed.batchItems).toHaveLength(1);
  });

  it('reads the identifiers of created and registered objects', () => {
    expect(answer(createAesKey, { length: 256 }, vector('pykmip010-create-aes256-named-response'))).toEqual({ uniqueIdentifier: '2' });
    expect(answer(createAesKey, { length: 256 }, vector('pykmip010-create-aes256-kmip20-response'), '2.0')).toEqual({
      uniqueIdentifier: '3',
    });
    expect(answer(registerSecretData, { data: new Uint8Array(1) }, vector('pykmip010-register-secretdata-named-response'))).toEqual({
      uniqueIdentifier: '1',
    });
  });

  it('reads a Raw AES key with its algorithm and length', () => {
    const key = answer(get, { uniqueIdentifier: '2' }, vector('pykmip010-get-aes256-response'));
    expect(key).toMatchObject({ uniqueIdentifier: '2', objectType: 2, keyFormatType: 1, cryptographicAlgorithm: 3, cryptographicLength: 256 });
    expect(Buffer.from(key.keyBytes).toString('hex')).toBe('40b7b8d3d4778499a9de51aa41911571be48d02c2071523d1418752f047d8a73');
  });

  it('reads a 3DES key of the OASIS test case', () => {
    const key = answer(get, { uniqueIdentifier: '49a1ca88-6bea-4fb2-b450-7e58802c3038' }, vector('pykmip-get-response'), '1.1');
    expect(key).toMatchObject({ cryptographicAlgorithm: 2, cryptographicLength: 168 });
    expect(key.keyBytes).toHaveLength(24);
  });

  it('reads Secret Data, which has no algorithm', () => {
    const secret = answer(get, { uniqueIdentifier: '1' }, vector('pykmip010-get-secretdata-response'));
    expect(secret).toMatchObject({ objectType: 7, keyFormatType: 2, secretDataType: 2, cryptographicAlgorithm: undefined });
    expect(Buffer.from(secret.keyBytes).equals(Buffer.alloc(32, 0x11))).toBe(true);
  });

  it('reads a Transparent Symmetric Key (Key Material holding Key)', () => {
    const transparent = rewrite(vector('pykmip010-get-aes256-response'), (children) =>
      children.map((child) => {
        if (child.tag === Tag.KeyFormatType) return enumItem(Tag.KeyFormatType, 7);
        if (child.tag === Tag.KeyMaterial && child.type === ItemType.ByteString) {
          return struct(Tag.KeyMaterial, [{ tag: Tag.Key, type: ItemType.ByteString, value: child.value }]);
        }
        return child;
      }),
    );
    const key = answer(get, { uniqueIdentifier: '2' }, transparent);
    expect(key.keyFormatType).toBe(7);
    expect(Buffer.from(key.keyBytes).toString('hex')).toMatch(/^40b7b8d3/);
  });

  it('refuses objects without a Key Block, and wrapped keys, with a clear error', () => {
    const certificate = successResponse(Operation.Get, [
      enumItem(Tag.ObjectType, 1),
      text(Tag.UniqueIdentifier, '4'),
      struct(Tag.Certificate, [enumItem(Tag.CertificateType, 1), { tag: Tag.CertificateValue, type: ItemType.ByteString, value: new Uint8Array(4) }]),
    ]);
    expect(() => answer(get, { uniqueIdentifier: '4' }, certificate)).toThrow(/is a Certificate, which has no Key Block/);
    const wrapped = rewrite(vector('pykmip010-get-aes256-response'), (children, parent) =>
      parent.tag === Tag.KeyBlock ? [...children, struct(Tag.KeyWrappingData, [enumItem(Tag.WrappingMethod, 1)])] : children,
    );
    expect(() => answer(get, { uniqueIdentifier: '2' }, wrapped)).toThrow(/returned the key "2" wrapped/);
  });

  it('reads Locate results, and an empty payload as no match', () => {
    expect(answer(locate, { name: 'admin-key' }, vector('pykmip010-locate-by-name-response'))).toEqual({
      uniqueIdentifiers: ['2'],
      locatedItems: undefined,
    });
    expect(answer(locate, { name: 'no-such-key' }, vector('pykmip010-locate-no-match-response'))).toEqual({
      uniqueIdentifiers: [],
      locatedItems: undefined,
    });
    const withCount = successResponse(Operation.Locate, [int(Tag.LocatedItems, 9), text(Tag.UniqueIdentifier, '4'), text(Tag.UniqueIdentifier, '3')]);
    expect(answer(locate, { name: 'k', maximumItems: 2 }, withCount, '1.4')).toEqual({ uniqueIdentifiers: ['4', '3'], locatedItems: 9 });
  });

  it('reads Query: operations, object types and vendor', () => {
    const result = answer(query, {}, vector('pykmip010-query-response'));
    expect(result.operations).toHaveLength(18);
    expect(result.operations).toContain(Operation.Get);
    expect(result.operations).not.toContain(Operation.RNGRetrieve);
    expect(result.objectTypes).toEqual([]);
    expect(result.vendorIdentification).toBe('PyKMIP 0.10.0 Software Server');
  });

  it('reads Discover Versions in the server order, and an empty answer as none', () => {
    const versions = answer(discoverVersions, { versions: [] }, vector('pykmip010-discover-versions-response'), '1.4');
    expect(versions.map(formatProtocolVersion)).toEqual(['2.0', '1.4']);
    expect(answer(discoverVersions, { versions: [] }, vector('nlnetlabs-tc161-discover-versions-unknown-response'), '1.1')).toEqual([]);
  });

  it('reads RNG Retrieve data and checks its length', () => {
    expect(answer(rngRetrieve, { length: 32 }, vector('oasis-cs-rng-m-1-14-response'), '1.4')).toHaveLength(32);
    expect(() => answer(rngRetrieve, { length: 64 }, vector('nlnetlabs-cs-rng-m-1-13-response'), '1.3')).toThrow(
      /for 64 bytes with 32 bytes/,
    );
  });

  it('checks that state changes answer for the object that was named', () => {
    expect(answer(activate, { uniqueIdentifier: '2' }, vector('pykmip010-activate-response'))).toEqual({ uniqueIdentifier: '2' });
    expect(answer(revoke, { uniqueIdentifier: '2', reason: 'CessationOfOperation' }, vector('pykmip010-revoke-response'))).toEqual({
      uniqueIdentifier: '2',
    });
    expect(answer(destroy, { uniqueIdentifier: '2' }, vector('pykmip010-destroy-response'))).toEqual({ uniqueIdentifier: '2' });
    expect(() => answer(destroy, { uniqueIdentifier: '3' }, vector('pykmip010-destroy-response'))).toThrow(KmipResponseError);
  });
});

describe('Get Attributes in both forms', () => {
  const name = struct(Tag.Name, [text(Tag.NameValue, 'admin-key'), enumItem(Tag.NameType, 1)]);
  const legacyAttribute = (attributeName: string, value: TtlvItem): TtlvItem =>
    struct(Tag.Attribute, [text(Tag.AttributeName, attributeName), { ...value, tag: Tag.AttributeValue }]);

  const expected = {
    uniqueIdentifier: '6',
    attributes: {
      State: [2],
      'Cryptographic Length': [256],
      Name: [{ NameValue: 'admin-key', NameType: 1 }, { NameValue: 'alias', NameType: 1 }],
      'Initial Date': [new Date(1_700_000_000_000)],
    },
  };
  const alias = struct(Tag.Name, [text(Tag.NameValue, 'alias'), enumItem(Tag.NameType, 1)]);
  const initialDate: TtlvItem = { tag: Tag.InitialDate, type: ItemType.DateTime, value: 1_700_000_000n };

  it('parses the 1.x Attribute list', () => {
    const response = successResponse(Operation.GetAttributes, [
      text(Tag.UniqueIdentifier, '6'),
      legacyAttribute('State', enumItem(Tag.State, 2)),
      legacyAttribute('Cryptographic Length', int(Tag.CryptographicLength, 256)),
      legacyAttribute('Name', name),
      legacyAttribute('Name', alias),
      legacyAttribute('Initial Date', initialDate),
    ]);
    expect(answer(getAttributes, { uniqueIdentifier: '6' }, response, '1.4')).toEqual(expected);
  });

  it('parses the 2.x Attributes structure to the same map', () => {
    const response = successResponse(Operation.GetAttributes, [
      text(Tag.UniqueIdentifier, '6'),
      struct(Tag.Attributes, [enumItem(Tag.State, 2), int(Tag.CryptographicLength, 256), name, alias, initialDate]),
    ]);
    expect(answer(getAttributes, { uniqueIdentifier: '6' }, response, '2.0')).toEqual(expected);
  });

  it('names a 1.x Attribute without a value as malformed', () => {
    const response = successResponse(Operation.GetAttributes, [
      text(Tag.UniqueIdentifier, '6'),
      struct(Tag.Attribute, [text(Tag.AttributeName, 'State')]),
    ]);
    expect(() => answer(getAttributes, { uniqueIdentifier: '6' }, response, '1.4')).toThrow(/lacks AttributeValue/);
  });
});

describe('failed batch items become KmipOperationError', () => {
  it('Invalid Message without an Operation field', () => {
    const error = failure(rngRetrieve, vector('pykmip-invalid-message-response'));
    expect(error).toMatchObject({
      code: 'KMIP_OPERATION_FAILED',
      operation: 'RNGRetrieve',
      resultStatus: 'OperationFailed',
      resultReason: 'InvalidMessage',
      resultMessage: 'Default response. No operations supported.',
    });
    expect(error.message).toMatch(/^KMIP RNG Retrieve failed \(Invalid Message\)/);
    expect(error.message).toMatch(/could not parse the RNG Retrieve request .*KMIP 1\.1 header/);
    expect(error.message).toContain('Default response. No operations supported.');
  });

  it('Item Not Found', () => {
    const error = failure(get, vector('pykmip010-get-missing-response'));
    expect(error).toMatchObject({ operation: 'Get', resultReason: 'ItemNotFound', resultMessage: 'Could not locate object: 999999' });
    expect(error.message).toMatch(/^KMIP Get failed \(Item Not Found\): no object matches the identifier/);
  });

  it('Permission Denied on Destroy of an Active object says to revoke first', () => {
    const error = failure(destroy, vector('pykmip010-destroy-active-refused-response'));
    expect(error).toMatchObject({ operation: 'Destroy', resultReason: 'PermissionDenied' });
    expect(error.message).toMatch(/Revoke, then Destroy/);
    expect(error.message).toContain('Object is active and cannot be destroyed.');
  });

  it("shows the server's Result Message with control, direction and zero-width characters escaped, cut at 500 characters", () => {
    const forged = 'EVIL\u001b]0;owned\u0007\u001b[2J\nfake: [ ok ] all good \u202etxt.exe';
    const withMessage = (message: string) =>
      rewrite(vector('pykmip010-get-missing-response'), (children) => children.map((child) => (child.tag === Tag.ResultMessage ? text(Tag.ResultMessage, message) : child)));
    const error = failure(get, withMessage(forged));
    expect(error.resultMessage).toBe(forged); // kept as sent, for code that reads it
    expect(error.message).toContain('The server said: "EVIL\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{a}fake: [ ok ] all good \\u{202e}txt.exe".');
    expect([...error.message].filter((char) => char < ' ' || char === '\u202e')).toEqual([]);
    expect(failure(get, withMessage('x'.repeat(600))).message).toContain(`"${'x'.repeat(500)}… (100 more characters)"`);
  });

  it('an unknown Result Reason is kept in hex', () => {
    const response = rewrite(vector('pykmip010-get-missing-response'), (children) =>
      children.map((child) => (child.tag === Tag.ResultReason ? enumItem(Tag.ResultReason, 0x7777) : child)),
    );
    expect(failure(get, response).resultReason).toBe('0x00007777');
  });
});

describe('malformed responses become KmipResponseError naming the problem', () => {
  const dropping = (tag: number, name: string): TtlvItem =>
    rewrite(vector(name), (children) => children.filter((child) => child.tag !== tag));

  it('Batch Count that does not match the batch items', () => {
    const response = rewrite(vector('pykmip010-activate-response'), (children) =>
      children.map((child) => (child.tag === Tag.BatchCount ? int(Tag.BatchCount, 2) : child)),
    );
    expect(() => parseResponseMessage(response)).toThrow(/Batch Count 2 but the message holds 1 Batch Item/);
  });

  it('missing Result Status', () => {
    expect(() => parseResponseMessage(dropping(Tag.ResultStatus, 'pykmip010-activate-response'))).toThrow(/lacks ResultStatus/);
  });

  it('missing Response Header', () => {
    expect(() => parseResponseMessage(dropping(Tag.ResponseHeader, 'pykmip010-activate-response'))).toThrow(/lacks ResponseHeader/);
  });

  it('missing Unique Identifier of a Get', () => {
    expect(() => answer(get, { uniqueIdentifier: '2' }, dropping(Tag.UniqueIdentifier, 'pykmip010-get-aes256-response'))).toThrow(
      /lacks UniqueIdentifier in the Get Response Payload/,
    );
  });

  it('missing Key Material of a Get', () => {
    expect(() => answer(get, { uniqueIdentifier: '2' }, dropping(Tag.KeyMaterial, 'pykmip010-get-aes256-response'))).toThrow(
      /lacks KeyMaterial/,
    );
  });

  it('a response for another operation', () => {
    expect(() => answer(get, { uniqueIdentifier: '2' }, vector('pykmip010-activate-response'))).toThrow(
      /answered a Get request with a Activate response/,
    );
  });

  it('a response carrying another batch item ID', () => {
    const response = rewrite(vector('pykmip010-activate-response'), (children, parent) =>
      parent.tag === Tag.BatchItem
        ? [children[0] as TtlvItem, { tag: Tag.UniqueBatchItemID, type: ItemType.ByteString, value: new Uint8Array([9]) }, ...children.slice(1)]
        : children,
    );
    expect(() => answer(activate, { uniqueIdentifier: '2' }, response)).toThrow(/another request's Unique Batch Item ID/);
  });

  it('a message that is not a Response Message', () => {
    expect(() => parseResponseMessage(vector('pykmip010-activate-request'))).toThrow(/RequestMessage item instead of a Response Message/);
  });
});
