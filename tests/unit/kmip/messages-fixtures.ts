// Loads the TTLV vectors (a copy of ../shared/vectors, see messages-vectors/README.md) and compares
// message trees field by field.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ItemType, Tag, decodeTtlv, tagName, type TtlvItem } from '../../../main/kmip/ttlv';

const VECTOR_DIR = fileURLToPath(new URL('./messages-vectors', import.meta.url));

export function vector(name: string): TtlvItem {
  const { hex } = JSON.parse(readFileSync(join(VECTOR_DIR, `${name}.json`), 'utf8')) as { hex: string };
  return decodeTtlv(Buffer.from(hex, 'hex'));
}

/** Fields whose values are live (clock) or chosen by the transport and so not compared. */
const LIVE_FIELDS: ReadonlySet<number> = new Set([Tag.TimeStamp, Tag.UniqueBatchItemID]);

/** A plain, comparable form of a tree without live fields: names for tags, hex for bytes. */
export function comparable(item: TtlvItem): unknown {
  const name = tagName(item.tag) ?? item.tag;
  switch (item.type) {
    case ItemType.Structure:
      return { [name]: item.value.filter((child) => !LIVE_FIELDS.has(child.tag)).map(comparable) };
    case ItemType.ByteString:
      return { [name]: Buffer.from(item.value).toString('hex') };
    default:
      return { [name]: [ItemType[item.type], typeof item.value === 'bigint' ? item.value.toString() : item.value] };
  }
}
