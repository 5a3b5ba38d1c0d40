import { ItemType } from '../../ttlv/types';
import { Operation, QueryFunction, Tag } from '../../ttlv';
import { decodeAttributeValue, type AttributeValue } from '../attributes';
import { payloadReader, type KmipOperation } from '../operation';
import { enumeration } from '../tree';

export interface QueryOptions {
  /** Query Function values; by default Query Operations, Query Objects and Query Server Information. */
  functions?: number[];
}

export interface QueryResult {
  /** Operation enumeration values the server supports. */
  operations: number[];
  /** Object Type enumeration values the server supports (PyKMIP lists none). */
  objectTypes: number[];
  vendorIdentification?: string;
  serverInformation?: AttributeValue;
}

const DEFAULT_QUERY_FUNCTIONS = [
  QueryFunction.QueryOperations,
  QueryFunction.QueryObjects,
  QueryFunction.QueryServerInformation,
];

export const query: KmipOperation<QueryOptions, QueryResult> = {
  code: Operation.Query,
  name: 'Query',
  since: '1.0',
  idempotent: true,
  buildPayload: ({ functions = DEFAULT_QUERY_FUNCTIONS }) =>
    functions.map((fn) => enumeration(Tag.QueryFunction, fn)),
  parseResponse(payload) {
    const reader = payloadReader(payload, 'Query');
    const serverInformation = reader.item.value.find((child) => child.tag === Tag.ServerInformation);
    return {
      operations: reader.all(Tag.Operation, ItemType.Enumeration).map((item) => item.value),
      objectTypes: reader.all(Tag.ObjectType, ItemType.Enumeration).map((item) => item.value),
      vendorIdentification: reader.optional(Tag.VendorIdentification, ItemType.TextString)?.value,
      serverInformation: serverInformation === undefined ? undefined : decodeAttributeValue(serverInformation),
    };
  },
};
