// Names of objects in the local store (PRODUCT.md §4): the one rule that the store, the dialog and
// the CLI apply, so that a name one of them takes is never refused by another.
import { characterCount, hasInvisibleOrControlChars } from './text';

export const OBJECT_NAME_MAX_CHARACTERS = 256;

/** The form of an object id: objects are found by id or by name, so a name in this form could stand for another object. */
export const OBJECT_ID_FORM = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What is wrong with a name given for a new object (after trimming), as a sentence with the fix; null when it can be used. */
export function objectNameProblem(name: string): string | null {
  const length = characterCount(name);
  if (length === 0 || length > OBJECT_NAME_MAX_CHARACTERS) {
    return `An object name must be 1–${OBJECT_NAME_MAX_CHARACTERS} characters${length === 0 ? '' : `; this one has ${length}`}.`;
  }
  if (hasInvisibleOrControlChars(name)) {
    return 'An object name must not contain line breaks, tabs, other control characters, direction overrides or zero-width characters.';
  }
  if (OBJECT_ID_FORM.test(name)) {
    return `An object name must not have the form of an object id (${name}): choose a descriptive name.`;
  }
  return null;
}
