import { CryptographicAlgorithm, CryptographicUsageMask, ObjectType, Operation, Tag } from '../../ttlv';
import { nameAttribute, objectAttributes, type AttributeItem } from '../attributes';
import { KmipArgumentError } from '../errors';
import { payloadReader, type KmipOperation } from '../operation';
import { enumeration, integer } from '../tree';
import { readUniqueIdentifier } from './identifier';

export const AES_KEY_LENGTHS = [128, 192, 256] as const;
export type AesKeyLength = (typeof AES_KEY_LENGTHS)[number];

/** Encrypt | Decrypt: what a wrapping key such as the Admin Key is used for. */
export const DEFAULT_USAGE_MASK = CryptographicUsageMask.Encrypt | CryptographicUsageMask.Decrypt;

export interface CreateAesKeyOptions {
  /** Key length in bits. */
  length: AesKeyLength;
  /** Cryptographic Usage Mask bits; Encrypt | Decrypt by default. */
  usageMask?: number;
  name?: string;
}

export interface CreatedObject {
  uniqueIdentifier: string;
}

/** Create a symmetric AES key on the server (it stays Pre-Active until Activate). */
export const createAesKey: KmipOperation<CreateAesKeyOptions, CreatedObject> = {
  code: Operation.Create,
  name: 'Create',
  since: '1.0',
  idempotent: false,
  buildPayload({ length, usageMask = DEFAULT_USAGE_MASK, name }, version) {
    if (!(AES_KEY_LENGTHS as readonly number[]).includes(length)) {
      throw new KmipArgumentError(`An AES key length must be 128, 192 or 256 bits, got ${length}.`);
    }
    const attributes: AttributeItem[] = [
      enumeration(Tag.CryptographicAlgorithm, CryptographicAlgorithm.AES),
      integer(Tag.CryptographicLength, length),
      integer(Tag.CryptographicUsageMask, usageMask),
    ];
    if (name !== undefined) attributes.push(nameAttribute(name));
    return [enumeration(Tag.ObjectType, ObjectType.SymmetricKey), objectAttributes(attributes, version)];
  },
  parseResponse: (payload) => ({ uniqueIdentifier: readUniqueIdentifier(payloadReader(payload, 'Create')) }),
};
