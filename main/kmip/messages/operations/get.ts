import { ItemType } from '../../ttlv/types';
import { Operation, Tag } from '../../ttlv';
import { KmipResponseError } from '../errors';
import { payloadReader, type KmipOperation } from '../operation';
import { StructureReader, enumeration, tagName } from '../tree';
import { readUniqueIdentifier, uniqueIdentifierItem } from './identifier';

export interface GetOptions {
  uniqueIdentifier: string;
  /** Key Format Type to ask for; the server's default (usually Raw) when omitted. */
  keyFormatType?: number;
}

/** A managed object's key material as returned by Get. */
export interface KmipKeyObject {
  uniqueIdentifier: string;
  /** Object Type enumeration value (SymmetricKey, SecretData, ...). */
  objectType: number;
  /** Key Format Type of the returned material (Raw, Opaque, TransparentSymmetricKey, ...). */
  keyFormatType: number;
  /** The key bytes (the Key of a Transparent Symmetric Key). */
  keyBytes: Uint8Array;
  /** Cryptographic Algorithm enumeration value, when the Key Block carries one (not for Secret Data). */
  cryptographicAlgorithm?: number;
  /** Length in bits, when the Key Block carries one. */
  cryptographicLength?: number;
  /** Secret Data Type, for Secret Data. */
  secretDataType?: number;
}

/** Payload fields that are not the object itself. */
const PAYLOAD_HEADER_TAGS: ReadonlySet<number> = new Set([Tag.ObjectType, Tag.UniqueIdentifier]);

export const get: KmipOperation<GetOptions, KmipKeyObject> = {
  code: Operation.Get,
  name: 'Get',
  since: '1.0',
  idempotent: true,
  buildPayload({ uniqueIdentifier, keyFormatType }) {
    const payload = [uniqueIdentifierItem(uniqueIdentifier, 'Get')];
    if (keyFormatType !== undefined) payload.push(enumeration(Tag.KeyFormatType, keyFormatType));
    return payload;
  },
  parseResponse(payload, { uniqueIdentifier }) {
    const reader = payloadReader(payload, 'Get');
    const objectType = reader.required(Tag.ObjectType, ItemType.Enumeration).value;
    const returnedIdentifier = readUniqueIdentifier(reader, uniqueIdentifier);
    const objectItem = reader.item.value.find((child) => !PAYLOAD_HEADER_TAGS.has(child.tag));
    if (objectItem === undefined) {
      throw new KmipResponseError(`The server's Get Response Payload for "${uniqueIdentifier}" holds no object.`);
    }
    const object = StructureReader.of(objectItem, () => `${tagName(objectItem.tag)} of the Get Response Payload`);
    const keyBlock = object.optionalChild(Tag.KeyBlock);
    if (keyBlock === undefined) {
      throw new KmipResponseError(
        `The object "${uniqueIdentifier}" is a ${tagName(objectItem.tag)}, which has no Key Block: this client reads keys and Secret Data only.`,
      );
    }
    if (keyBlock.optional(Tag.KeyWrappingData, ItemType.Structure) !== undefined) {
      throw new KmipResponseError(
        `The server returned the key "${uniqueIdentifier}" wrapped: request it without Key Wrapping Specification.`,
      );
    }
    return {
      uniqueIdentifier: returnedIdentifier,
      objectType,
      keyFormatType: keyBlock.required(Tag.KeyFormatType, ItemType.Enumeration).value,
      keyBytes: readKeyMaterial(keyBlock.child(Tag.KeyValue)),
      cryptographicAlgorithm: keyBlock.optional(Tag.CryptographicAlgorithm, ItemType.Enumeration)?.value,
      cryptographicLength: keyBlock.optional(Tag.CryptographicLength, ItemType.Integer)?.value,
      secretDataType: object.optional(Tag.SecretDataType, ItemType.Enumeration)?.value,
    };
  },
};

/** Key Material is the bytes themselves (Raw, Opaque) or, for a Transparent Symmetric Key, a structure holding Key. */
function readKeyMaterial(keyValue: StructureReader): Uint8Array {
  const material = keyValue.requiredAnyType(Tag.KeyMaterial);
  if (material.type === ItemType.ByteString) return material.value;
  const structured = StructureReader.of(material, () => `Key Material of the ${keyValue.where}`);
  return structured.required(Tag.Key, ItemType.ByteString).value;
}
