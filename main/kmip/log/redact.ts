// Removes secrets from a TTLV tree before it is logged: passwords, key material, the bytes of
// any Key Value, and RNG Retrieve output. The result has the same shape (so it still encodes and
// prints as a message) with every secret value replaced by a placeholder.
import { ItemType } from '../ttlv/types';
import type { TtlvItem } from '../ttlv/types';
import { Tag } from '../ttlv';

/** Text that replaces a redacted text string; byte strings become zeros of the same length. */
export const REDACTED_TEXT = '[redacted]';

/** Every primitive below these tags is secret. */
const SECRET_SUBTREES: ReadonlySet<number> = new Set([
  Tag.Password, // Credential Value (Username and Password, Device) password
  Tag.KeyMaterial, // symmetric/private key bytes, Secret Data bytes, transparent key fields
  Tag.Data, // RNG Retrieve output (and any other operation's data)
]);

/** Below these tags, byte strings and big integers are secret (a wrapped Key Value is a byte string). */
const SECRET_BYTES_SUBTREES: ReadonlySet<number> = new Set([Tag.KeyValue]);

function redactedLeaf(item: TtlvItem): TtlvItem {
  switch (item.type) {
    case ItemType.Structure:
      return item;
    case ItemType.ByteString:
      return { ...item, value: new Uint8Array(item.value.length) };
    case ItemType.TextString:
      return { ...item, value: REDACTED_TEXT };
    case ItemType.BigInteger:
    case ItemType.LongInteger:
    case ItemType.DateTime:
    case ItemType.DateTimeExtended:
      return { ...item, value: 0n };
    case ItemType.Boolean:
      return { ...item, value: false };
    default:
      return { ...item, value: 0 };
  }
}

function walk(item: TtlvItem, allSecret: boolean, bytesSecret: boolean): TtlvItem {
  const all = allSecret || SECRET_SUBTREES.has(item.tag);
  const bytes = bytesSecret || SECRET_BYTES_SUBTREES.has(item.tag);
  if (item.type === ItemType.Structure) {
    return { ...item, value: item.value.map((child) => walk(child, all, bytes)) };
  }
  if (all) return redactedLeaf(item);
  if (bytes && (item.type === ItemType.ByteString || item.type === ItemType.BigInteger)) return redactedLeaf(item);
  return item;
}

/** A copy of `item` safe to log: secrets replaced, everything else kept. */
export function redactTtlv(item: TtlvItem): TtlvItem {
  return walk(item, false, false);
}
