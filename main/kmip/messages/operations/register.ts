import type { TtlvItem } from '../../ttlv/types';
import { CryptographicAlgorithm, KeyFormatType, ObjectType, Operation, SecretDataType, Tag } from '../../ttlv';
import { nameAttribute, objectAttributes, type AttributeItem } from '../attributes';
import { KmipArgumentError } from '../errors';
import { payloadReader, type KmipOperation } from '../operation';
import { byteString, enumeration, integer, structure } from '../tree';
import type { KmipVersion } from '../versions';
import { DEFAULT_USAGE_MASK, type CreatedObject } from './create';
import { readUniqueIdentifier } from './identifier';

export interface RegisterSymmetricKeyOptions {
  /** Raw AES key bytes: 16, 24 or 32 of them. */
  key: Uint8Array;
  usageMask?: number;
  name?: string;
}

export interface RegisterSecretDataOptions {
  data: Uint8Array;
  /** Seed by default. */
  secretDataType?: keyof typeof SecretDataType;
  usageMask?: number;
  name?: string;
}

function keyBlock(keyFormatType: number, material: Uint8Array, algorithmAndLength: TtlvItem[]): TtlvItem {
  return structure(Tag.KeyBlock, [
    enumeration(Tag.KeyFormatType, keyFormatType),
    structure(Tag.KeyValue, [byteString(Tag.KeyMaterial, material)]),
    ...algorithmAndLength,
  ]);
}

function registerPayload(
  objectType: number,
  attributes: AttributeItem[],
  object: TtlvItem,
  version: KmipVersion,
): TtlvItem[] {
  return [enumeration(Tag.ObjectType, objectType), objectAttributes(attributes, version), object];
}

function commonAttributes(name: string | undefined, usageMask: number): AttributeItem[] {
  const attributes = name === undefined ? [] : [nameAttribute(name)];
  attributes.push(integer(Tag.CryptographicUsageMask, usageMask));
  return attributes;
}

const parseRegistered = (payload: TtlvItem | undefined): CreatedObject => ({
  uniqueIdentifier: readUniqueIdentifier(payloadReader(payload, 'Register')),
});

/** Register an AES key the client generated, in Raw format. */
export const registerSymmetricKey: KmipOperation<RegisterSymmetricKeyOptions, CreatedObject> = {
  code: Operation.Register,
  name: 'Register',
  since: '1.0',
  idempotent: false,
  buildPayload({ key, usageMask = DEFAULT_USAGE_MASK, name }, version) {
    if (![16, 24, 32].includes(key.length)) {
      throw new KmipArgumentError(`An AES key must be 16, 24 or 32 bytes long, got ${key.length} bytes.`);
    }
    const algorithmAndLength = [
      enumeration(Tag.CryptographicAlgorithm, CryptographicAlgorithm.AES),
      integer(Tag.CryptographicLength, key.length * 8),
    ];
    const attributes = [...commonAttributes(name, usageMask), ...algorithmAndLength];
    const object = structure(Tag.SymmetricKey, [keyBlock(KeyFormatType.Raw, key, algorithmAndLength)]);
    return registerPayload(ObjectType.SymmetricKey, attributes, object, version);
  },
  parseResponse: parseRegistered,
};

/** Register opaque secret bytes as Secret Data (for servers that refuse client-supplied symmetric keys). */
export const registerSecretData: KmipOperation<RegisterSecretDataOptions, CreatedObject> = {
  code: Operation.Register,
  name: 'Register',
  since: '1.0',
  idempotent: false,
  buildPayload({ data, secretDataType = 'Seed', usageMask = DEFAULT_USAGE_MASK, name }, version) {
    if (data.length === 0) throw new KmipArgumentError('Secret Data to register must not be empty.');
    const object = structure(Tag.SecretData, [
      enumeration(Tag.SecretDataType, SecretDataType[secretDataType]),
      keyBlock(KeyFormatType.Opaque, data, []),
    ]);
    return registerPayload(ObjectType.SecretData, commonAttributes(name, usageMask), object, version);
  },
  parseResponse: parseRegistered,
};
