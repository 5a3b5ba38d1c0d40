// Spec names of KMIP enumeration values, for reports.
import { ObjectType, Operation, State } from '../kmip';

function reverse(table: Record<string, number>): Map<number, string> {
  return new Map(Object.entries(table).map(([name, value]) => [value, name]));
}

const OPERATION_NAMES = reverse(Operation);
const OBJECT_TYPE_NAMES = reverse(ObjectType);
const STATE_NAMES = reverse(State);

export function operationName(code: number): string {
  return OPERATION_NAMES.get(code) ?? `0x${code.toString(16)}`;
}

export function objectTypeName(code: number): string {
  return OBJECT_TYPE_NAMES.get(code) ?? `0x${code.toString(16)}`;
}

export function stateName(code: number): string {
  return STATE_NAMES.get(code) ?? `0x${code.toString(16)}`;
}
