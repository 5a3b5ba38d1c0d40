// Every shared vector decodes strictly, re-encodes byte for byte, and survives the KMIP JSON form byte for byte.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVectors, SHARED_VECTORS_DIR, vector, VECTORS_DIR, type TtlvVector } from '../../../fuzz/vectors';
import { decodeTtlv, encodeTtlv, ItemType, parseKmipJson, Tag, toKmipJson, type KmipJsonItem, type TtlvItem } from '../../../main/kmip/ttlv';

const vectors = loadVectors();

function findItems(item: KmipJsonItem, tag: string, out: KmipJsonItem[] = []): KmipJsonItem[] {
  if (item.tag === tag) out.push(item);
  if (Array.isArray(item.value)) for (const child of item.value) findItems(child, tag, out);
  return out;
}

function jsonOf(v: TtlvVector): KmipJsonItem {
  return toKmipJson(decodeTtlv(v.bytes));
}

describe('shared TTLV vectors', () => {
  it('finds the vector folder with request/response pairs', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(40);
  });

  it.skipIf(!existsSync(SHARED_VECTORS_DIR))(`the committed copy (tests/vectors) equals ${SHARED_VECTORS_DIR} file for file (skipped where that folder is absent)`, () => {
    const listing = (dir: string) => readdirSync(dir).sort();
    expect(listing(VECTORS_DIR)).toEqual(listing(SHARED_VECTORS_DIR));
    for (const file of listing(SHARED_VECTORS_DIR)) {
      expect(readFileSync(path.join(VECTORS_DIR, file)).equals(readFileSync(path.join(SHARED_VECTORS_DIR, file))), file).toBe(true);
    }
  });

  it.each(vectors.map((v) => [v.file, v] as const))('%s decodes and re-encodes byte for byte', (_file, v) => {
    const item = decodeTtlv(v.bytes);
    expect(encodeTtlv(item).equals(v.bytes)).toBe(true);
  });

  it.each(vectors.map((v) => [v.file, v] as const))('%s survives TTLV -> JSON text -> TTLV byte for byte', (_file, v) => {
    const text = JSON.stringify(jsonOf(v), null, 2);
    expect(encodeTtlv(parseKmipJson(text)).toString('hex')).toBe(v.bytes.toString('hex'));
  });

  it('whole messages are Request or Response Messages; the libkmip vector is a Request Header fragment', () => {
    for (const v of vectors) {
      const { tag, type } = decodeTtlv(v.bytes);
      expect(type).toBe(ItemType.Structure);
      const expected = v.name.startsWith('libkmip-') ? [Tag.RequestHeader] : [Tag.RequestMessage, Tag.ResponseMessage];
      expect(expected).toContain(tag);
    }
    const fragment = jsonOf(vector('libkmip-request-header-userpass-fragment', vectors));
    expect(fragment.tag).toBe('RequestHeader');
    expect(findItems(fragment, 'CredentialType')[0]?.value).toBe('UsernameAndPassword');
    expect(findItems(fragment, 'Username')).toHaveLength(1);
  });

  it('names operations, object types and results with the spec names', () => {
    const get = jsonOf(vector('pykmip010-get-aes256-response', vectors));
    expect(get.tag).toBe('ResponseMessage');
    expect(findItems(get, 'Operation')[0]).toEqual({ tag: 'Operation', type: 'Enumeration', value: 'Get' });
    expect(findItems(get, 'ObjectType')[0]?.value).toBe('SymmetricKey');
    expect(findItems(get, 'ResultStatus')[0]?.value).toBe('Success');
    expect(findItems(get, 'KeyFormatType')[0]?.value).toBe('Raw');
    expect(findItems(get, 'CryptographicAlgorithm')[0]?.value).toBe('AES');

    const rng = jsonOf(vector('oasis-cs-rng-m-1-14-request', vectors));
    expect(findItems(rng, 'Operation')[0]?.value).toBe('RNGRetrieve');

    const missing = jsonOf(vector('pykmip010-get-missing-response', vectors));
    expect(findItems(missing, 'ResultStatus')[0]?.value).toBe('OperationFailed');
    expect(findItems(missing, 'ResultReason')[0]?.value).toBe('ItemNotFound');
  });

  it('names 1.x attribute values through their Attribute Name (enumerations and usage-mask bits)', () => {
    const create = jsonOf(vector('pykmip-tc311-create-request', vectors));
    const attributes = findItems(create, 'Attribute').map((a) => a.value as KmipJsonItem[]);
    const byName = new Map(attributes.map(([name, value]) => [name?.value, value?.value]));
    expect(byName.get('Cryptographic Algorithm')).toBe('AES');
    expect(byName.get('Cryptographic Length')).toBe(128);
    expect(byName.get('Cryptographic Usage Mask')).toBe('Encrypt|Decrypt');
  });

  it('decodes Date-Time values to ISO 8601 and back', () => {
    const json = jsonOf(vector('pykmip-get-response', vectors));
    const stamp = findItems(json, 'TimeStamp')[0];
    expect(stamp?.type).toBe('DateTime');
    expect(stamp?.value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const item = decodeTtlv(vector('pykmip-get-response', vectors).bytes);
    const header = (item.value as TtlvItem[])[0] as TtlvItem & { value: TtlvItem[] };
    const ts = header.value.find((c) => c.tag === Tag.TimeStamp);
    expect(new Date(Number(ts?.value) * 1000).toISOString().replace('.000', '')).toBe(stamp?.value);
  });
});
