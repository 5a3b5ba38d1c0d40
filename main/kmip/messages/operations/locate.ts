import { ItemType } from '../../ttlv/types';
import { Operation, Tag } from '../../ttlv';
import { locateAttributes, nameAttribute, type AttributeItem } from '../attributes';
import { KmipArgumentError } from '../errors';
import { type KmipOperation, payloadReader } from '../operation';
import { enumeration, integer } from '../tree';
import { requireVersion } from '../versions';

export interface LocateOptions {
  name?: string;
  /** Object Type enumeration value. */
  objectType?: number;
  /** State enumeration value. */
  state?: number;
  /** Cryptographic Algorithm enumeration value. */
  cryptographicAlgorithm?: number;
  maximumItems?: number;
  /** Items to skip (KMIP 1.3+). */
  offsetItems?: number;
}

export interface LocateResult {
  /** Matching objects; PyKMIP lists the newest first. Empty when nothing matches. */
  uniqueIdentifiers: string[];
  /** Total number of matches, when the server reports it (Located Items, KMIP 1.3+). */
  locatedItems?: number;
}

function countItem(tag: number, value: number, field: string): ReturnType<typeof integer> {
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new KmipArgumentError(`Locate ${field} must be a whole number ≥ 0, got ${value}.`);
  }
  return integer(tag, value);
}

export const locate: KmipOperation<LocateOptions, LocateResult> = {
  code: Operation.Locate,
  name: 'Locate',
  since: '1.0',
  idempotent: true,
  buildPayload(options, version) {
    const payload = [];
    if (options.maximumItems !== undefined) {
      payload.push(countItem(Tag.MaximumItems, options.maximumItems, 'Maximum Items'));
    }
    if (options.offsetItems !== undefined) {
      requireVersion(version, '1.3', 'Locate with Offset Items');
      payload.push(countItem(Tag.OffsetItems, options.offsetItems, 'Offset Items'));
    }
    const attributes: AttributeItem[] = [];
    if (options.objectType !== undefined) attributes.push(enumeration(Tag.ObjectType, options.objectType));
    if (options.name !== undefined) attributes.push(nameAttribute(options.name));
    if (options.state !== undefined) attributes.push(enumeration(Tag.State, options.state));
    if (options.cryptographicAlgorithm !== undefined) {
      attributes.push(enumeration(Tag.CryptographicAlgorithm, options.cryptographicAlgorithm));
    }
    payload.push(...locateAttributes(attributes, version));
    return payload;
  },
  parseResponse(payload) {
    // No match is Success with an empty payload; tolerate a server that omits the payload then.
    if (payload === undefined) return { uniqueIdentifiers: [] };
    const reader = payloadReader(payload, 'Locate');
    return {
      uniqueIdentifiers: reader.all(Tag.UniqueIdentifier, ItemType.TextString).map((item) => item.value),
      locatedItems: reader.optional(Tag.LocatedItems, ItemType.Integer)?.value,
    };
  },
};
