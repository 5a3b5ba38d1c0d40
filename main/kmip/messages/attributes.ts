// Attributes in the 1.x form (Attribute {Attribute Name, [Attribute Index], Attribute Value}) and the
// 2.x form (one Attributes structure holding each attribute under its own tag), both ways.

import { ItemType, type TtlvItem } from '../ttlv/types';
import { NameType, Tag } from '../ttlv';
import { StructureReader, attributeNameOfTag, enumeration, structure, tagName, textString } from './tree';
import { usesAttributesStructure, type KmipVersion } from './versions';

/** An attribute to send: an item whose tag is the attribute's own tag (the 2.x form). */
export type AttributeItem = TtlvItem;

export function nameAttribute(name: string): AttributeItem {
  return structure(Tag.Name, [
    textString(Tag.NameValue, name),
    enumeration(Tag.NameType, NameType.UninterpretedTextString),
  ]);
}

/** 1.x: `Attribute { Attribute Name, Attribute Value }` for one attribute item. */
function legacyAttribute(attribute: AttributeItem): TtlvItem {
  return structure(Tag.Attribute, [
    textString(Tag.AttributeName, attributeNameOfTag(attribute.tag)),
    { ...attribute, tag: Tag.AttributeValue } as TtlvItem,
  ]);
}

/** The attributes of a Locate payload: bare Attribute items in 1.x, one Attributes structure in 2.x. */
export function locateAttributes(attributes: AttributeItem[], version: KmipVersion): TtlvItem[] {
  return usesAttributesStructure(version)
    ? [structure(Tag.Attributes, attributes)]
    : attributes.map(legacyAttribute);
}

/** The attributes of a Create or Register payload: Template-Attribute in 1.x, Attributes in 2.x. */
export function objectAttributes(attributes: AttributeItem[], version: KmipVersion): TtlvItem {
  return usesAttributesStructure(version)
    ? structure(Tag.Attributes, attributes)
    : structure(Tag.TemplateAttribute, attributes.map(legacyAttribute));
}

/** A decoded attribute value; structures become objects keyed by field tag name. */
export type AttributeValue =
  | number
  | bigint
  | boolean
  | string
  | Uint8Array
  | Date
  | AttributeValue[]
  | { [field: string]: AttributeValue };

/** Attribute name (spec form, e.g. "Cryptographic Length") → its values (several for multi-instance attributes). */
export type AttributeMap = Record<string, AttributeValue[]>;

export function decodeAttributeValue(item: TtlvItem): AttributeValue {
  switch (item.type) {
    case ItemType.Structure: {
      const fields: { [field: string]: AttributeValue } = {};
      for (const child of item.value) {
        const key = tagName(child.tag);
        const value = decodeAttributeValue(child);
        const existing = fields[key];
        if (existing === undefined) fields[key] = value;
        else fields[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
      }
      return fields;
    }
    case ItemType.DateTime:
      return new Date(Number(item.value) * 1000);
    case ItemType.DateTimeExtended:
      return new Date(Number(item.value / 1000n));
    default:
      return item.value;
  }
}

function addValue(map: AttributeMap, name: string, value: AttributeValue): void {
  (map[name] ??= []).push(value);
}

/** Reads the attributes of a Get Attributes response payload, in either form. */
export function readAttributes(payload: StructureReader): AttributeMap {
  const map: AttributeMap = {};
  for (const attribute of payload.all(Tag.Attribute, ItemType.Structure)) {
    const reader = new StructureReader(attribute, () => `Attribute of the ${payload.where}`);
    const name = reader.required(Tag.AttributeName, ItemType.TextString).value;
    addValue(map, name, decodeAttributeValue(reader.requiredAnyType(Tag.AttributeValue)));
  }
  const attributes = payload.optionalChild(Tag.Attributes);
  for (const item of attributes?.item.value ?? []) {
    addValue(map, attributeNameOfTag(item.tag), decodeAttributeValue(item));
  }
  return map;
}
