// Request Message construction and Response Message parsing (headers and batch items).

import { ItemType, type TtlvItem } from '../ttlv/types';
import { CredentialType, ResultStatus, Tag, enumerationValueName, type EnumerationName } from '../ttlv';
import { KmipOperationError, KmipOperationPendingError, KmipResponseError } from './errors';
import { describeResultReason } from './result-reasons';
import { showableServerText } from './server-text';
import { StructureReader, byteString, spacedName, tagName, dateTime, enumeration, integer, structure, textString } from './tree';
import { formatProtocolVersion, toProtocolVersion, type KmipVersion, type ProtocolVersion } from './versions';

export interface UsernamePasswordCredential {
  username: string;
  password?: string;
}

export interface RequestHeaderOptions {
  version: KmipVersion;
  credentials?: UsernamePasswordCredential;
  /** Maximum Response Size in bytes, sent when set. */
  maxResponseSize?: number;
  /** Sent as the header Time Stamp when set (PyKMIP refuses one more than 60 s off its clock). */
  timeStamp?: Date;
}

export interface RequestBatchItem {
  operation: number;
  /** Unique Batch Item ID: the transport matches pipelined responses by it. */
  uniqueBatchItemId: Uint8Array;
  payload: TtlvItem[];
}

export function protocolVersionItem(version: ProtocolVersion): TtlvItem {
  return structure(Tag.ProtocolVersion, [
    integer(Tag.ProtocolVersionMajor, version.major),
    integer(Tag.ProtocolVersionMinor, version.minor),
  ]);
}

export function buildRequestMessage(header: RequestHeaderOptions, items: RequestBatchItem[]): TtlvItem {
  return requestMessage(requestHeader(header, items.length), items);
}

/**
 * The Request Header of a message of `batchCount` batch items. Without a Time Stamp it is the same for
 * every such request of a session, so a client may build it once and pass it to requestMessage().
 */
export function requestHeader(header: RequestHeaderOptions, batchCount: number): TtlvItem {
  const headerFields: TtlvItem[] = [protocolVersionItem(toProtocolVersion(header.version))];
  if (header.maxResponseSize !== undefined) {
    headerFields.push(integer(Tag.MaximumResponseSize, header.maxResponseSize));
  }
  if (header.credentials !== undefined) headerFields.push(authenticationItem(header.credentials));
  if (header.timeStamp !== undefined) headerFields.push(dateTime(Tag.TimeStamp, header.timeStamp));
  headerFields.push(integer(Tag.BatchCount, batchCount));
  return structure(Tag.RequestHeader, headerFields);
}

/** A Request Message: `header` (see requestHeader, with a Batch Count of items.length) and the batch items. */
export function requestMessage(header: TtlvItem, items: RequestBatchItem[]): TtlvItem {
  const message: TtlvItem[] = [header];
  for (const item of items) {
    message.push(
      structure(Tag.BatchItem, [
        enumeration(Tag.Operation, item.operation),
        byteString(Tag.UniqueBatchItemID, item.uniqueBatchItemId),
        structure(Tag.RequestPayload, item.payload),
      ]),
    );
  }
  return structure(Tag.RequestMessage, message);
}

function authenticationItem(credentials: UsernamePasswordCredential): TtlvItem {
  const value: TtlvItem[] = [textString(Tag.Username, credentials.username)];
  if (credentials.password !== undefined) value.push(textString(Tag.Password, credentials.password));
  return structure(Tag.Authentication, [
    structure(Tag.Credential, [
      enumeration(Tag.CredentialType, CredentialType.UsernameAndPassword),
      structure(Tag.CredentialValue, value),
    ]),
  ]);
}

export interface ResponseBatchItem {
  operation?: number;
  uniqueBatchItemId?: Uint8Array;
  resultStatus: number;
  resultReason?: number;
  resultMessage?: string;
  payload?: TtlvItem;
}

export interface ResponseMessage {
  version: ProtocolVersion;
  timeStamp?: Date;
  batchItems: ResponseBatchItem[];
}

/** Parses a Response Message; checks that Batch Count matches the batch items present. */
export function parseResponseMessage(message: TtlvItem): ResponseMessage {
  if (message.tag !== Tag.ResponseMessage) {
    throw new KmipResponseError(
      `The server answered with a ${tagName(message.tag)} item instead of a Response Message: it is not a KMIP response.`,
    );
  }
  const root = StructureReader.of(message, 'Response Message');
  const header = root.child(Tag.ResponseHeader);
  const version = parseProtocolVersion(header.child(Tag.ProtocolVersion));
  const timeStamp = header.optional(Tag.TimeStamp, ItemType.DateTime);
  const batchCount = header.required(Tag.BatchCount, ItemType.Integer).value;
  const batchItems = root.all(Tag.BatchItem, ItemType.Structure).map((item, index) =>
    parseBatchItem(new StructureReader(item, () => `Batch Item ${index + 1} of the Response Message`)),
  );
  if (batchItems.length !== batchCount) {
    throw new KmipResponseError(
      `The server's Response Header says Batch Count ${batchCount} but the message holds ${batchItems.length} Batch Item(s): the response is malformed.`,
    );
  }
  return {
    version,
    timeStamp: timeStamp === undefined ? undefined : new Date(Number(timeStamp.value) * 1000),
    batchItems,
  };
}

export function parseProtocolVersion(reader: StructureReader): ProtocolVersion {
  return {
    major: reader.required(Tag.ProtocolVersionMajor, ItemType.Integer).value,
    minor: reader.required(Tag.ProtocolVersionMinor, ItemType.Integer).value,
  };
}

function parseBatchItem(reader: StructureReader): ResponseBatchItem {
  return {
    operation: reader.optional(Tag.Operation, ItemType.Enumeration)?.value,
    uniqueBatchItemId: reader.optional(Tag.UniqueBatchItemID, ItemType.ByteString)?.value,
    resultStatus: reader.required(Tag.ResultStatus, ItemType.Enumeration).value,
    resultReason: reader.optional(Tag.ResultReason, ItemType.Enumeration)?.value,
    resultMessage: reader.optional(Tag.ResultMessage, ItemType.TextString)?.value,
    payload: reader.item.value.find((child) => child.tag === Tag.ResponsePayload),
  };
}

/**
 * Returns the response payload of the one batch item answering `request`, or throws
 * KmipOperationError when it failed (with or without an Operation field), KmipOperationPendingError
 * when the server answered Operation Pending, and KmipResponseError when the response does not
 * answer this request. `readOnly`: the operation changes nothing on the server (its Operation Pending
 * error then says it is safe to send again).
 */
export function expectSuccess(response: ResponseMessage, request: RequestBatchItem, { readOnly = false } = {}): TtlvItem | undefined {
  // Named only when an error needs it: this runs for every response.
  const operationName = (): string => valueName('Operation', request.operation);
  if (response.batchItems.length !== 1) {
    throw new KmipResponseError(
      `The server answered a ${operationName()} request with ${response.batchItems.length} Batch Items instead of 1: the response is malformed.`,
    );
  }
  const item = response.batchItems[0] as ResponseBatchItem;
  if (item.resultStatus === ResultStatus.OperationPending) throw operationPendingError(operationName(), item, readOnly);
  if (item.resultStatus !== ResultStatus.Success) {
    throw operationError(operationName(), item, formatProtocolVersion(response.version));
  }
  if (item.operation !== undefined && item.operation !== request.operation) {
    throw new KmipResponseError(
      `The server answered a ${operationName()} request with a ${valueName('Operation', item.operation)} response: the response does not match the request.`,
    );
  }
  if (item.uniqueBatchItemId !== undefined && !sameBytes(item.uniqueBatchItemId, request.uniqueBatchItemId)) {
    throw new KmipResponseError(
      `The server's response to ${operationName()} carries another request's Unique Batch Item ID: the response does not match the request.`,
    );
  }
  return item.payload;
}

function operationError(operationName: string, item: ResponseBatchItem, responseVersion: string): KmipOperationError {
  const status = valueName('ResultStatus', item.resultStatus);
  const reason = item.resultReason === undefined ? undefined : valueName('ResultReason', item.resultReason);
  const operation = spacedName(operationName);
  const serverSaid = item.resultMessage ? ` The server said: "${showableServerText(item.resultMessage)}".` : '';
  const advice = describeResultReason(reason, { operation, responseVersion });
  return new KmipOperationError(
    `KMIP ${operation} failed (${spacedName(reason ?? status)}): ${advice}${serverSaid}`,
    operationName,
    status,
    reason,
    item.resultMessage,
  );
}

function operationPendingError(operationName: string, item: ResponseBatchItem, readOnly: boolean): KmipOperationPendingError {
  const operation = spacedName(operationName);
  const serverSaid = item.resultMessage ? ` The server said: "${showableServerText(item.resultMessage)}".` : '';
  const advice = readOnly
    ? `${operation} only reads, so sending it again is safe.`
    : `The outcome is not known yet: check on the server whether the ${operation} took effect (Locate finds an object it created, ` +
      'Get Attributes shows a State it changed) before sending it again.';
  return new KmipOperationPendingError(
    `The server answered KMIP ${operation} with Operation Pending: it runs the request asynchronously, which this client never asks for ` +
      `(it sends no Asynchronous Indicator) and cannot follow up. ${advice}${serverSaid}`,
    operationName,
    readOnly,
  );
}

/** Spec name of an enumeration value (e.g. "ItemNotFound"), its hex form when unknown. */
export function valueName(enumeration: EnumerationName, value: number): string {
  return enumerationValueName(enumeration, value) ?? `0x${value.toString(16).padStart(8, '0')}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
