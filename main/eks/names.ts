// Spec names of KMIP enumeration values, for reports.
import { enumerationValueName, type EnumerationName } from '../kmip';

/** The spec name of `code` in `enumeration`, or its hex form when the tables do not know it. */
function specName(enumeration: EnumerationName, code: number): string {
  return enumerationValueName(enumeration, code) ?? `0x${code.toString(16)}`;
}

export function operationName(code: number): string {
  return specName('Operation', code);
}

export function objectTypeName(code: number): string {
  return specName('ObjectType', code);
}

export function stateName(code: number): string {
  return specName('State', code);
}
