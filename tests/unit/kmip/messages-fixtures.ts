// Decodes the TTLV vectors (tests/vectors, loaded by fuzz/vectors) and compares message
// trees field by field.
import { ItemType, Tag, decodeTtlv, tagName, type TtlvItem } from '../../../main/kmip/ttlv';
import { loadVectors, vector as sharedVector } from '../../../fuzz/vectors';

const vectors = loadVectors();

export function vector(name: string): TtlvItem {
  return decodeTtlv(sharedVector(name, vectors).bytes);
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
