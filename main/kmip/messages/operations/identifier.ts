import { ItemType } from '../../ttlv/types';
import { Tag } from '../../ttlv';
import { KmipArgumentError, KmipResponseError } from '../errors';
import type { StructureReader } from '../tree';
import { textString } from '../tree';
import type { TtlvItem } from '../../ttlv/types';

export function uniqueIdentifierItem(uniqueIdentifier: string, operationName: string): TtlvItem {
  if (uniqueIdentifier.length === 0) {
    throw new KmipArgumentError(`${operationName} needs the object's Unique Identifier; an empty one was given.`);
  }
  return textString(Tag.UniqueIdentifier, uniqueIdentifier);
}

/** Reads the Unique Identifier of a response and, when one was requested, checks it names that object. */
export function readUniqueIdentifier(reader: StructureReader, requested?: string): string {
  const returned = reader.required(Tag.UniqueIdentifier, ItemType.TextString).value;
  if (requested !== undefined && returned !== requested) {
    throw new KmipResponseError(
      `The server's ${reader.where} names object "${returned}" although "${requested}" was requested: the response does not match the request.`,
    );
  }
  return returned;
}
