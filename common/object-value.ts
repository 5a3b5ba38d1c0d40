// The limit on a secret's value in the object store, shared by the store, the IPC schema and the
// Add secret form, so that the form says what the store would refuse, at the field and with the limit.
import { isWellFormedText } from './text';

/** The largest value an object may hold, in bytes (a secret's text as UTF-8). */
export const OBJECT_VALUE_MAX_BYTES = 64 * 1024;

/** What the store would refuse in a secret's text value, said for the Value field; null when nothing. */
export function secretValueProblem(value: string): string | null {
  if (!isWellFormedText(value)) return 'Value holds a broken character (half of a UTF-16 pair): type or paste it again.';
  const bytes = new TextEncoder().encode(value).length;
  if (bytes > OBJECT_VALUE_MAX_BYTES) {
    return `Value is ${bytes.toLocaleString('en')} bytes as UTF-8; a secret is at most ${OBJECT_VALUE_MAX_BYTES.toLocaleString('en')} bytes: store a shorter value.`;
  }
  return null;
}
