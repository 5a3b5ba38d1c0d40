import { describe, expect, it } from 'vitest';
import { ItemType, ObjectType, QueryFunction, Tag, type TtlvItem } from '../../../main/kmip/ttlv';
import {
  KmipArgumentError,
  KmipVersionError,
  activate,
  buildRequestMessage,
  createAesKey,
  destroy,
  discoverVersions,
  get,
  getAttributes,
  locate,
  query,
  registerSecretData,
  registerSymmetricKey,
  revoke,
  rngRetrieve,
  toProtocolVersion,
  type KmipOperation,
  type KmipVersion,
  type RequestHeaderOptions,
} from '../../../main/kmip/messages';
import { comparable, vector } from './messages-fixtures';

function request<Args>(
  operation: KmipOperation<Args, unknown>,
  args: Args,
  version: KmipVersion,
  header: Partial<RequestHeaderOptions> = {},
): TtlvItem {
  return buildRequestMessage({ version, ...header }, [
    { operation: operation.code, uniqueBatchItemId: new Uint8Array([0, 0, 0, 7]), payload: operation.buildPayload(args, version) },
  ]);
}

function child(item: TtlvItem, tag: number): TtlvItem {
  if (item.type !== ItemType.Structure) throw new Error(`not a structure: ${item.tag}`);
  const found = item.value.find((candidate) => candidate.tag === tag);
  if (!found) throw new Error(`no child ${tag.toString(16)}`);
  return found;
}

function payloadOf(message: TtlvItem): TtlvItem {
  return child(child(message, Tag.BatchItem), Tag.RequestPayload);
}

const eleven = new Uint8Array(32).fill(0x11);

describe('request messages match the recorded vectors', () => {
  const cases: Array<[string, () => TtlvItem]> = [
    ['pykmip-tc311-create-request', () => request(createAesKey, { length: 128 }, '1.1')],
    ['pykmip010-create-aes256-named-request', () => request(createAesKey, { length: 256, name: 'admin-key' }, '1.2')],
    ['pykmip010-create-aes256-kmip20-request', () => request(createAesKey, { length: 256, name: 'admin-key-v2' }, '2.0')],
    [
      'pykmip010-register-secretdata-named-request',
      () => request(registerSecretData, { data: eleven, name: 'admin-key-secret' }, '1.2'),
    ],
    [
      'oasis-bl-m-1-21-register-request',
      () =>
        request(
          registerSymmetricKey,
          { key: Buffer.from('0123456789abcdef0123456789abcdef', 'hex'), usageMask: 4, name: 'BL-M-1-21' },
          '2.1',
        ),
    ],
    ['pykmip010-locate-by-name-request', () => request(locate, { name: 'admin-key' }, '1.2')],
    ['pykmip010-locate-no-match-request', () => request(locate, { name: 'no-such-key' }, '1.2')],
    ['pykmip-tc313-locate-request', () => request(locate, { name: 'Key1', objectType: ObjectType.SymmetricKey }, '1.1')],
    ['oasis-bl-m-1-21-locate-request', () => request(locate, { name: 'BL-M-1-21' }, '2.1')],
    ['pykmip010-get-aes256-request', () => request(get, { uniqueIdentifier: '2' }, '1.2')],
    ['pykmip-get-request', () => request(get, { uniqueIdentifier: '49a1ca88-6bea-4fb2-b450-7e58802c3038' }, '1.1')],
    ['pykmip010-activate-request', () => request(activate, { uniqueIdentifier: '2' }, '1.2')],
    [
      'pykmip010-revoke-request',
      () => request(revoke, { uniqueIdentifier: '2', reason: 'CessationOfOperation' }, '1.2'),
    ],
    ['pykmip010-destroy-request', () => request(destroy, { uniqueIdentifier: '2' }, '1.2')],
    ['pykmip-destroy-request', () => request(destroy, { uniqueIdentifier: 'fb4b5b9c-6188-4c63-8142-fe9c328129fc' }, '1.1')],
    [
      'pykmip010-query-request',
      () =>
        request(
          query,
          {
            functions: [QueryFunction.QueryOperations, QueryFunction.QueryObjects, QueryFunction.QueryServerInformation],
          },
          '1.2',
        ),
    ],
    [
      'pykmip010-userpass-credential-ignored-request',
      () =>
        request(query, { functions: [QueryFunction.QueryServerInformation] }, '1.2', {
          credentials: { username: 'alice', password: 'wrong-password' },
        }),
    ],
    [
      'pykmip010-discover-versions-request',
      () => request(discoverVersions, { versions: (['2.1', '2.0', '1.4'] as const).map(toProtocolVersion) }, '1.4'),
    ],
    ['nlnetlabs-tc161-discover-versions-empty-request', () => request(discoverVersions, { versions: [] }, '1.1')],
    ['oasis-cs-rng-m-1-14-request', () => request(rngRetrieve, { length: 32 }, '1.4')],
    ['nlnetlabs-cs-rng-m-1-13-request', () => request(rngRetrieve, { length: 32 }, '1.3')],
  ];

  it.each(cases)('%s', (name, build) => {
    expect(comparable(build())).toEqual(comparable(vector(name)));
  });

  it('sends the Username and Password credential as libkmip lays it out', () => {
    const header = child(request(query, {}, '1.0', { credentials: { username: 'Barney', password: 'secret2' } }), Tag.RequestHeader);
    const expected = child(vector('libkmip-request-header-userpass-fragment'), Tag.Authentication);
    expect(comparable(child(header, Tag.Authentication))).toEqual(comparable(expected));
  });
});

describe('request headers and batch items', () => {
  it('puts a Unique Batch Item ID after the Operation of every batch item', () => {
    const batchItem = child(request(get, { uniqueIdentifier: '1' }, '1.2'), Tag.BatchItem);
    expect(batchItem.type === ItemType.Structure && batchItem.value.map((item) => item.tag)).toEqual([
      Tag.Operation,
      Tag.UniqueBatchItemID,
      Tag.RequestPayload,
    ]);
    expect(child(batchItem, Tag.UniqueBatchItemID)).toMatchObject({ value: new Uint8Array([0, 0, 0, 7]) });
  });

  it('orders optional header fields as the spec does and omits the password when none is set', () => {
    const header = child(
      request(query, {}, '2.0', {
        maxResponseSize: 65536,
        credentials: { username: 'operator' },
        timeStamp: new Date('2026-01-02T03:04:05Z'),
      }),
      Tag.RequestHeader,
    );
    expect(header.type === ItemType.Structure && header.value.map((item) => item.tag)).toEqual([
      Tag.ProtocolVersion,
      Tag.MaximumResponseSize,
      Tag.Authentication,
      Tag.TimeStamp,
      Tag.BatchCount,
    ]);
    expect(child(header, Tag.TimeStamp)).toMatchObject({ type: ItemType.DateTime, value: 1767323045n });
    const credentialValue = child(child(child(header, Tag.Authentication), Tag.Credential), Tag.CredentialValue);
    expect(comparable(credentialValue)).toEqual({ CredentialValue: [{ Username: ['TextString', 'operator'] }] });
  });
});

describe('attribute forms by version', () => {
  it('asks Get Attributes by Attribute Name in 1.x and by Attribute Reference (the tag) in 2.x', () => {
    const names = ['State', 'Cryptographic Length'];
    expect(comparable(payloadOf(request(getAttributes, { uniqueIdentifier: '5', attributeNames: names }, '1.4')))).toEqual({
      RequestPayload: [
        { UniqueIdentifier: ['TextString', '5'] },
        { AttributeName: ['TextString', 'State'] },
        { AttributeName: ['TextString', 'Cryptographic Length'] },
      ],
    });
    expect(comparable(payloadOf(request(getAttributes, { uniqueIdentifier: '5', attributeNames: names }, '2.0')))).toEqual({
      RequestPayload: [
        { UniqueIdentifier: ['TextString', '5'] },
        { AttributeReference: ['Enumeration', Tag.State] },
        { AttributeReference: ['Enumeration', Tag.CryptographicLength] },
      ],
    });
  });

  it('refuses a 2.x Attribute Reference for a name that is no KMIP attribute', () => {
    expect(() => getAttributes.buildPayload({ uniqueIdentifier: '5', attributeNames: ['x-custom'] }, '2.0')).toThrow(
      KmipArgumentError,
    );
  });

  it('sends Locate paging before the filter attributes, in the Attributes structure for 2.x', () => {
    const payload = payloadOf(
      request(locate, { name: 'k', state: 2, cryptographicAlgorithm: 3, maximumItems: 5, offsetItems: 1 }, '2.0'),
    );
    expect(comparable(payload)).toEqual({
      RequestPayload: [
        { MaximumItems: ['Integer', 5] },
        { OffsetItems: ['Integer', 1] },
        {
          Attributes: [
            { Name: [{ NameValue: ['TextString', 'k'] }, { NameType: ['Enumeration', 1] }] },
            { State: ['Enumeration', 2] },
            { CryptographicAlgorithm: ['Enumeration', 3] },
          ],
        },
      ],
    });
  });

  it('sends 1.x Locate filters as bare Attribute structures named by spec name', () => {
    const payload = payloadOf(request(locate, { state: 2, cryptographicAlgorithm: 3, maximumItems: 2 }, '1.0'));
    expect(comparable(payload)).toEqual({
      RequestPayload: [
        { MaximumItems: ['Integer', 2] },
        { Attribute: [{ AttributeName: ['TextString', 'State'] }, { AttributeValue: ['Enumeration', 2] }] },
        {
          Attribute: [{ AttributeName: ['TextString', 'Cryptographic Algorithm'] }, { AttributeValue: ['Enumeration', 3] }],
        },
      ],
    });
  });
});

describe('version and argument checks before sending', () => {
  it('refuses Offset Items below KMIP 1.3 with a typed error', () => {
    const refuse = () => locate.buildPayload({ name: 'k', offsetItems: 2 }, '1.2');
    expect(refuse).toThrow(KmipVersionError);
    expect(refuse).toThrow(/Offset Items is not defined in KMIP 1\.2 .*from KMIP 1\.3/);
    expect(() => locate.buildPayload({ name: 'k', offsetItems: 2 }, '1.3')).not.toThrow();
  });

  it('records the first version of each operation', () => {
    expect(rngRetrieve.since).toBe('1.2');
    expect(discoverVersions.since).toBe('1.1');
    expect(createAesKey.since).toBe('1.0');
  });

  it('requires a Compromise Occurrence Date for a key compromise and sends it after the reason', () => {
    expect(() => revoke.buildPayload({ uniqueIdentifier: '9', reason: 'KeyCompromise' }, '1.4')).toThrow(KmipArgumentError);
    const payload = revoke.buildPayload(
      { uniqueIdentifier: '9', reason: 'KeyCompromise', message: 'laptop lost', compromiseOccurrenceDate: new Date(86_400_000) },
      '2.0',
    );
    expect(payload.map(comparable)).toEqual([
      { UniqueIdentifier: ['TextString', '9'] },
      { RevocationReason: [{ RevocationReasonCode: ['Enumeration', 2] }, { RevocationMessage: ['TextString', 'laptop lost'] }] },
      { CompromiseOccurrenceDate: ['DateTime', '86400'] },
    ]);
  });

  it('refuses key sizes AES does not have', () => {
    expect(() => createAesKey.buildPayload({ length: 100 as 128 }, '1.2')).toThrow(/128, 192 or 256 bits, got 100/);
    expect(() => registerSymmetricKey.buildPayload({ key: new Uint8Array(20) }, '1.2')).toThrow(/16, 24 or 32 bytes/);
    expect(() => rngRetrieve.buildPayload({ length: 0 }, '1.2')).toThrow(KmipArgumentError);
  });

  it('marks Create, Register and state changes as not idempotent, reads as idempotent', () => {
    for (const operation of [createAesKey, registerSymmetricKey, registerSecretData, activate, revoke, destroy]) {
      expect(operation.idempotent).toBe(false);
    }
    for (const operation of [discoverVersions, query, rngRetrieve, locate, get, getAttributes]) {
      expect(operation.idempotent).toBe(true);
    }
  });
});
