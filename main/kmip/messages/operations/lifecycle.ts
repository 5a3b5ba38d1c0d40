// Activate, Revoke and Destroy: state changes addressed by Unique Identifier.

import type { TtlvItem } from '../../ttlv/types';
import { Operation, RevocationReasonCode, Tag } from '../../ttlv';
import { KmipArgumentError } from '../errors';
import { payloadReader, type KmipOperation } from '../operation';
import { dateTime, enumeration, structure, textString } from '../tree';
import { readUniqueIdentifier, uniqueIdentifierItem } from './identifier';

export interface ObjectReference {
  uniqueIdentifier: string;
}

export type RevocationReason = keyof typeof RevocationReasonCode;

export interface RevokeOptions extends ObjectReference {
  reason: RevocationReason;
  message?: string;
  /** When the compromise happened; required for KeyCompromise and CACompromise. */
  compromiseOccurrenceDate?: Date;
}

const COMPROMISE_REASONS: ReadonlySet<RevocationReason> = new Set(['KeyCompromise', 'CACompromise'] as RevocationReason[]);

function parseSameObject(operationName: string) {
  return (payload: TtlvItem | undefined, { uniqueIdentifier }: ObjectReference): ObjectReference => ({
    uniqueIdentifier: readUniqueIdentifier(payloadReader(payload, operationName), uniqueIdentifier),
  });
}

// A retry of a state change that the server already applied fails with a misleading error
// (e.g. Destroy → Item Not Found), so none of these is re-sent after a dropped connection.
export const activate: KmipOperation<ObjectReference, ObjectReference> = {
  code: Operation.Activate,
  name: 'Activate',
  since: '1.0',
  idempotent: false,
  buildPayload: ({ uniqueIdentifier }) => [uniqueIdentifierItem(uniqueIdentifier, 'Activate')],
  parseResponse: parseSameObject('Activate'),
};

export const revoke: KmipOperation<RevokeOptions, ObjectReference> = {
  code: Operation.Revoke,
  name: 'Revoke',
  since: '1.0',
  idempotent: false,
  buildPayload({ uniqueIdentifier, reason, message, compromiseOccurrenceDate }) {
    const code = RevocationReasonCode[reason] as number | undefined;
    if (code === undefined) {
      throw new KmipArgumentError(`"${reason}" is not a Revocation Reason Code: use e.g. CessationOfOperation or KeyCompromise.`);
    }
    const reasonFields = [enumeration(Tag.RevocationReasonCode, code)];
    if (message !== undefined) reasonFields.push(textString(Tag.RevocationMessage, message));
    const payload = [uniqueIdentifierItem(uniqueIdentifier, 'Revoke'), structure(Tag.RevocationReason, reasonFields)];
    if (COMPROMISE_REASONS.has(reason)) {
      if (compromiseOccurrenceDate === undefined) {
        throw new KmipArgumentError(`Revoke with reason ${reason} needs the Compromise Occurrence Date: pass when the compromise happened.`);
      }
      payload.push(dateTime(Tag.CompromiseOccurrenceDate, compromiseOccurrenceDate));
    }
    return payload;
  },
  parseResponse: parseSameObject('Revoke'),
};

export const destroy: KmipOperation<ObjectReference, ObjectReference> = {
  code: Operation.Destroy,
  name: 'Destroy',
  since: '1.0',
  idempotent: false,
  buildPayload: ({ uniqueIdentifier }) => [uniqueIdentifierItem(uniqueIdentifier, 'Destroy')],
  parseResponse: parseSameObject('Destroy'),
};
