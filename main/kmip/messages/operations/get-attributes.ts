import { Operation, Tag } from '../../ttlv';
import { readAttributes, type AttributeMap } from '../attributes';
import { KmipArgumentError } from '../errors';
import { payloadReader, type KmipOperation } from '../operation';
import { enumeration, tagOfAttributeName, textString } from '../tree';
import { usesAttributesStructure } from '../versions';
import { readUniqueIdentifier, uniqueIdentifierItem } from './identifier';

export interface GetAttributesOptions {
  uniqueIdentifier: string;
  /** Spec attribute names, e.g. "State", "Cryptographic Length"; all attributes when omitted. */
  attributeNames?: string[];
}

export interface GetAttributesResult {
  uniqueIdentifier: string;
  attributes: AttributeMap;
}

export const getAttributes: KmipOperation<GetAttributesOptions, GetAttributesResult> = {
  code: Operation.GetAttributes,
  name: 'Get Attributes',
  since: '1.0',
  idempotent: true,
  buildPayload({ uniqueIdentifier, attributeNames = [] }, version) {
    const references = attributeNames.map((name) => {
      if (!usesAttributesStructure(version)) return textString(Tag.AttributeName, name);
      // 2.x names a standard attribute by its tag (Attribute Reference as an enumeration).
      const tag = tagOfAttributeName(name);
      if (tag === undefined) {
        throw new KmipArgumentError(`"${name}" is not a KMIP attribute name known to this client: use the spec name, e.g. "Cryptographic Length".`);
      }
      return enumeration(Tag.AttributeReference, tag);
    });
    return [uniqueIdentifierItem(uniqueIdentifier, 'Get Attributes'), ...references];
  },
  parseResponse(payload, { uniqueIdentifier }) {
    const reader = payloadReader(payload, 'Get Attributes');
    return { uniqueIdentifier: readUniqueIdentifier(reader, uniqueIdentifier), attributes: readAttributes(reader) };
  },
};
