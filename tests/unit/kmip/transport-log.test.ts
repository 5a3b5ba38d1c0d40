import { beforeAll, describe, expect, it } from 'vitest';
import { describeMessage, formatTtlvTree, redactTtlv, REDACTED_TEXT } from '../../../main/kmip/log';
import type { KmipLogger, LogFields } from '../../../main/kmip/log';
import { KmipConnection } from '../../../main/kmip/transport';
import { decodeTtlv, encodeTtlv, ItemType, Tag } from '../../../main/kmip/ttlv';
import type { TtlvItem } from '../../../main/kmip/ttlv';
import { GET_AES256_RESPONSE, generatePki, optionsFor, startKmipServer } from '../../support/transport-fixtures';
import type { TestPki } from '../../support/transport-fixtures';

const PASSWORD = 'Sup3r-Secret-Passw0rd!';
const KEY = Buffer.from('00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210', 'hex');
const RANDOM = Buffer.from('c0ffee00deadbeef5eed5eed5eed5eedfacefeedbadc0de', 'hex');
const GET_KEY = Buffer.from('40b7b8d3d4778499a9de51aa41911571be48d02c2071523d1418752f047d8a73', 'hex'); // in GET_AES256_RESPONSE

const s = (tag: number, value: TtlvItem[]): TtlvItem => ({ tag, type: ItemType.Structure, value });
const t = (tag: number, value: string): TtlvItem => ({ tag, type: ItemType.TextString, value });
const b = (tag: number, value: Uint8Array): TtlvItem => ({ tag, type: ItemType.ByteString, value });
const e = (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Enumeration, value });
const i = (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Integer, value });

/** Register of a raw AES key and of a transparent key, with a Username/Password credential. */
function registerRequest(): TtlvItem {
  const keyBlock = (material: TtlvItem): TtlvItem =>
    s(Tag.KeyBlock, [e(Tag.KeyFormatType, 1), s(Tag.KeyValue, [material]), e(Tag.CryptographicAlgorithm, 3), i(Tag.CryptographicLength, 256)]);
  return s(Tag.RequestMessage, [
    s(Tag.RequestHeader, [
      s(Tag.ProtocolVersion, [i(Tag.ProtocolVersionMajor, 1), i(Tag.ProtocolVersionMinor, 2)]),
      s(Tag.Authentication, [
        s(Tag.Credential, [e(Tag.CredentialType, 1), s(Tag.CredentialValue, [t(Tag.Username, 'alice'), t(Tag.Password, PASSWORD)])]),
      ]),
      i(Tag.BatchCount, 2),
    ]),
    s(Tag.BatchItem, [
      e(Tag.Operation, 0x03),
      b(Tag.UniqueBatchItemID, Buffer.from([1])),
      s(Tag.RequestPayload, [e(Tag.ObjectType, 2), s(Tag.SymmetricKey, [keyBlock(b(Tag.KeyMaterial, KEY))])]),
    ]),
    s(Tag.BatchItem, [
      e(Tag.Operation, 0x03),
      b(Tag.UniqueBatchItemID, Buffer.from([2])),
      s(Tag.RequestPayload, [e(Tag.ObjectType, 7), s(Tag.SecretData, [keyBlock(s(Tag.KeyMaterial, [b(Tag.Key, KEY)]))])]),
    ]),
  ]);
}

function rngResponse(): TtlvItem {
  return s(Tag.ResponseMessage, [
    s(Tag.ResponseHeader, [i(Tag.BatchCount, 1)]),
    s(Tag.BatchItem, [e(Tag.Operation, 0x25), e(Tag.ResultStatus, 0), s(Tag.ResponsePayload, [b(Tag.Data, RANDOM)])]),
  ]);
}

/** Asserts that no secret appears in `text` as text, lower- or upper-case hex, or base64. */
function expectNoSecrets(text: string): void {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(Buffer.from(PASSWORD).toString('hex'));
  for (const secret of [KEY, RANDOM, GET_KEY]) {
    expect(text).not.toContain(secret.toString('hex'));
    expect(text).not.toContain(secret.toString('hex').toUpperCase());
    expect(text).not.toContain(secret.toString('base64'));
    // no long run of the secret either (a partial dump would still leak)
    expect(text).not.toContain(secret.subarray(0, 8).toString('hex'));
  }
}

describe('redactTtlv / describeMessage', () => {
  it('removes the password, key material (raw and transparent) and RNG data from hex and tree', () => {
    for (const message of [registerRequest(), rngResponse(), decodeTtlv(GET_AES256_RESPONSE)]) {
      const { hex, tree } = describeMessage(message);
      expectNoSecrets(`${hex}\n${tree}`);
    }
  });

  it('keeps everything that is not secret, and the message still encodes with the same shape', () => {
    const { tree, hex } = describeMessage(registerRequest());
    expect(tree).toContain('Username (TextString): "alice"');
    expect(tree).toContain(`Password (TextString): "${REDACTED_TEXT}"`);
    expect(tree).toContain('Operation (Enumeration): Register');
    expect(tree).toContain('CryptographicAlgorithm (Enumeration): AES');
    expect(tree).toContain('UniqueBatchItemID (ByteString): 01');
    // key bytes become zeros of the same length: the dump still decodes
    const redacted = decodeTtlv(Buffer.from(hex, 'hex'));
    expect(formatTtlvTree(redacted)).toBe(tree);
    expect(tree).toContain(`KeyMaterial (ByteString): ${'00'.repeat(KEY.length)}`);
  });

  it('does not modify the message it is given', () => {
    const message = registerRequest();
    const before = encodeTtlv(message).toString('hex');
    redactTtlv(message);
    expect(encodeTtlv(message).toString('hex')).toBe(before);
  });

  it('the unredacted tree would contain the secrets (so the assertions above can fail)', () => {
    const plain = `${formatTtlvTree(registerRequest())}\n${encodeTtlv(registerRequest()).toString('hex')}`;
    expect(plain).toContain(PASSWORD);
    expect(plain).toContain(KEY.toString('hex'));
  });
});

describe('KmipConnection debug logging', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = generatePki();
  });

  it('logs requests and responses in full, with every secret redacted', async () => {
    const srv = await startKmipServer(pki, (_request, c) => c.socket.write(GET_AES256_RESPONSE));
    const events: Array<{ event: string; fields: LogFields }> = [];
    const logger: KmipLogger = { debug: (event, fields) => events.push({ event, fields }) };
    // a failed open with a (wrong) key passphrase must not log it either
    const withPassphrase = optionsFor(pki, srv.port, {
      logger,
      tls: { caCerts: pki.ca, clientCert: { kind: 'pem', cert: pki.clientCert, key: pki.clientKeyEncrypted, keyPassphrase: 'not-used-here' } },
    });
    await new KmipConnection(withPassphrase).open().catch(() => undefined);
    const plain = new KmipConnection(optionsFor(pki, srv.port, { logger }));
    try {
      await plain.roundTrip(registerRequest(), { idempotent: false });
    } finally {
      await plain.close();
      await srv.close();
    }
    const names = events.map((entry) => entry.event);
    expect(names).toContain('kmip.request');
    expect(names).toContain('kmip.response');
    const output = JSON.stringify(events);
    expect(output).toContain('alice');
    expectNoSecrets(output);
    expect(output).not.toContain('not-used-here');
  });
});
