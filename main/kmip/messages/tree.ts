// Building request items and reading response items, with errors that name the missing field.

import { ItemType, type TtlvItem } from '../ttlv/types';
import { tagByName, tagName as codecTagName } from '../ttlv';
import { KmipResponseError } from './errors';

export type ItemOfType<T extends ItemType> = Extract<TtlvItem, { type: T }>;
export type StructureItem = ItemOfType<ItemType.Structure>;

export const structure = (tag: number, value: TtlvItem[]): StructureItem => ({ tag, type: ItemType.Structure, value });
export const integer = (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Integer, value });
export const enumeration = (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Enumeration, value });
export const textString = (tag: number, value: string): TtlvItem => ({ tag, type: ItemType.TextString, value });
export const byteString = (tag: number, value: Uint8Array): TtlvItem => ({ tag, type: ItemType.ByteString, value });
export const dateTime = (tag: number, value: Date): TtlvItem => ({
  tag,
  type: ItemType.DateTime,
  value: BigInt(Math.floor(value.getTime() / 1000)),
});

/** The spec name of a tag without spaces (e.g. "UniqueIdentifier"), or its hex form when unknown. */
export function tagName(tag: number): string {
  return codecTagName(tag) ?? `0x${tag.toString(16).padStart(6, '0')}`;
}

/** A compact spec name with its spaces back: "CryptographicUsageMask" → "Cryptographic Usage Mask", "RNGRetrieve" → "RNG Retrieve". */
export function spacedName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z])([A-Z][a-z])/g, '$1 $2');
}

/** Spec attribute name from a tag, e.g. "Cryptographic Usage Mask". */
export function attributeNameOfTag(tag: number): string {
  const name = codecTagName(tag);
  return name === undefined ? tagName(tag) : spacedName(name);
}

/** Tag of a spec attribute name ("Cryptographic Usage Mask"); undefined for custom ("x-...") names. */
export function tagOfAttributeName(name: string): number | undefined {
  return tagByName(name.replace(/[\s-]/g, ''));
}

/** Where a structure sits, for error messages: a description, or one made only when an error needs it. */
export type Place = string | (() => string);

/** A child structure's place: its tag, within its parent's place. */
interface ChildPlace {
  parent: StructureReader;
  tag: number;
}

/**
 * Reads the children of one response structure. `place` describes the structure for error
 * messages, e.g. "Get Response Payload"; descriptions of nested structures are built only when an
 * error message needs them (every response is read through several readers).
 */
export class StructureReader {
  constructor(
    readonly item: StructureItem,
    private readonly place: Place | ChildPlace,
  ) {}

  static of(item: TtlvItem | undefined, place: Place): StructureReader {
    if (item === undefined) throw missing(describePlace(place));
    if (item.type !== ItemType.Structure) {
      throw new KmipResponseError(`The server's ${describePlace(place)} is not a structure: the response is malformed.`);
    }
    return new StructureReader(item, place);
  }

  /** The structure's description, e.g. "Key Block of the Get Response Payload". */
  get where(): string {
    return describePlace(this.place);
  }

  all<T extends ItemType>(tag: number, type: T): ItemOfType<T>[] {
    const found: ItemOfType<T>[] = [];
    for (const child of this.item.value) if (child.tag === tag) found.push(this.checkType(child, type));
    return found;
  }

  optional<T extends ItemType>(tag: number, type: T): ItemOfType<T> | undefined {
    const child = this.first(tag);
    return child === undefined ? undefined : this.checkType(child, type);
  }

  required<T extends ItemType>(tag: number, type: T): ItemOfType<T> {
    const child = this.optional(tag, type);
    if (child === undefined) throw missing(`${tagName(tag)} in the ${this.where}`);
    return child;
  }

  /** A required child whose item type varies (e.g. Attribute Value). */
  requiredAnyType(tag: number): TtlvItem {
    const child = this.first(tag);
    if (child === undefined) throw missing(`${tagName(tag)} in the ${this.where}`);
    return child;
  }

  child(tag: number): StructureReader {
    return new StructureReader(this.required(tag, ItemType.Structure), { parent: this, tag });
  }

  optionalChild(tag: number): StructureReader | undefined {
    const child = this.optional(tag, ItemType.Structure);
    return child === undefined ? undefined : new StructureReader(child, { parent: this, tag });
  }

  /** The first child with `tag`. A loop rather than find(): every response is read through here many times. */
  private first(tag: number): TtlvItem | undefined {
    for (const child of this.item.value) if (child.tag === tag) return child;
    return undefined;
  }

  private checkType<T extends ItemType>(child: TtlvItem, type: T): ItemOfType<T> {
    if (child.type !== type) {
      throw new KmipResponseError(
        `${tagName(child.tag)} in the server's ${this.where} has item type ${ItemType[child.type]}, expected ${ItemType[type]}: the response is malformed.`,
      );
    }
    return child as ItemOfType<T>;
  }
}

function describePlace(place: Place | ChildPlace): string {
  if (typeof place === 'string') return place;
  return typeof place === 'function' ? place() : `${tagName(place.tag)} of the ${place.parent.where}`;
}

function missing(what: string): KmipResponseError {
  return new KmipResponseError(`The server's response lacks ${what}, which KMIP requires: the response is incomplete.`);
}
