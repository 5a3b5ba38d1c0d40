// Item type names as the KMIP JSON/XML encodings spell them ("TextString", "DateTimeExtended", ...).
import { ItemType } from './types';

const NAMES: ReadonlyMap<ItemType, string> = new Map(
  (Object.keys(ItemType) as (keyof typeof ItemType)[])
    .filter((key) => Number.isNaN(Number(key)))
    .map((key) => [ItemType[key], key]),
);
const BY_NAME: ReadonlyMap<string, ItemType> = new Map([...NAMES].map(([type, name]) => [name, type]));

/** "Structure", "Integer", ... or "type 0x0c" for a code outside the specification. */
export function itemTypeName(type: number): string {
  return NAMES.get(type as ItemType) ?? `type 0x${type.toString(16).padStart(2, '0')}`;
}

/** The item type for a spec type name, or undefined. */
export function itemTypeByName(name: string): ItemType | undefined {
  return BY_NAME.get(name);
}
