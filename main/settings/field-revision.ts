// Which value of one field a window showed when it asked to save it, load a file into it, or clear it.
// Another window or a kmip-console command may have changed that field since: a save would then replace
// a value the operator never saw, and a Clear remove a file they never saw, without a word. The request
// names the field's revision the window showed (SettingsView.fieldRevisions) and main refuses it when the
// field's pending value is another one now. The revision is a fingerprint of what the settings file
// holds for the field: a value, a file's record, or a secret's marker (whether one is stored, and when
// it was saved), never a secret itself.
import { ELSEWHERE, FIELDS, FIELD_IDS, comparableFieldValue, fieldOfSecret, switch01Label, type FieldId, type ScalarFieldId, type SecretId, type Settings } from '../../common/settings';
import type { FileSlotId } from '../../common/pki-types';
import { SettingsError } from './errors';
import { storedFileSummary } from './describe-value';
import { PAIRED_SLOT, endEntityCount, pairedKeyOf } from './paired-slots';
import { fingerprint } from './revisions';

/** The revision of field `id` in `pending`: it changes exactly when sameFieldValue says the value did. */
export function fieldRevision(pending: Settings, id: FieldId): string {
  return fingerprint(comparableFieldValue(id, pending[id]));
}

/** Every field's revision, for the window (SettingsView.fieldRevisions). */
export function fieldRevisions(pending: Settings): Record<FieldId, string> {
  return Object.fromEntries(FIELD_IDS.map((id) => [id, fieldRevision(pending, id)])) as Record<FieldId, string>;
}

/** What a window asked for, to say what was not done. */
export type FieldChange =
  | { kind: 'save'; id: ScalarFieldId }
  | { kind: 'load'; slot: FileSlotId }
  | { kind: 'clearFile'; slot: FileSlotId }
  | { kind: 'clearSecret'; id: SecretId };

const SHOWN_CHARACTERS = 120;

/**
 * For a certificate file holding several end-entity certificates: which one it presents, when the key
 * loaded under the paired slot chose it (a Key load may choose another one from the same file).
 */
function chosenCertificate(pending: Settings, slot: FileSlotId): string {
  const file = pending[slot];
  const key = pairedKeyOf(slot, pending)?.privateKey;
  const keySlot = PAIRED_SLOT[slot];
  if (!file || !key || !keySlot) return '';
  const endEntities = endEntityCount(file.details);
  if (endEntities < 2 || file.details.certificates[0]?.publicKeySha256 !== key.publicKeySha256) return '';
  return `, the one of its ${endEntities} end-entity certificates that matches the key loaded under ${FIELDS[keySlot].label}`;
}

/** The field's pending value now, for a person: never a secret (a password is said to be stored or not). */
function valueNow(pending: Settings, id: FieldId): string {
  const field = FIELDS[id];
  if (field.kind === 'secret') return pending.password.stored ? 'a password was saved since this window showed it' : 'no password is stored now';
  if (field.kind === 'file') {
    const slot = id as FileSlotId;
    const file = pending[slot];
    if (!file) return 'no file is loaded now';
    return `it now holds "${file.details.sourceName}" (${storedFileSummary(file)})${chosenCertificate(pending, slot)}`;
  }
  const value = pending[id as Exclude<ScalarFieldId, 'password'>];
  if (value === '') return 'it is now empty';
  const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : field.kind === 'switch01' ? switch01Label(value as 0 | 1) : String(value);
  const shown = [...text].length > SHOWN_CHARACTERS ? `${[...text].slice(0, SHOWN_CHARACTERS).join('')}…` : text;
  return `it now reads "${shown}"`;
}

/** What was not done. A Clear is refused only while something is loaded or stored, so there is something to clear again. */
function notDone(change: FieldChange): string {
  switch (change.kind) {
    case 'save':
      return change.id === 'password' ? 'Your password was not saved; save again to replace it.' : 'Your value was not saved; save again to replace it.';
    case 'load':
      return 'Your file was not loaded; load it again to replace it.';
    case 'clearFile':
      return 'Nothing was cleared; clear again to remove it.';
    case 'clearSecret':
      return change.id === 'password' ? 'Nothing was cleared; clear again to remove it.' : 'Its password was not cleared; clear it again to remove it.';
  }
}

function changedField(change: FieldChange): FieldId {
  switch (change.kind) {
    case 'save':
      return change.id;
    case 'load':
    case 'clearFile':
      return change.slot;
    case 'clearSecret':
      return fieldOfSecret(change.id);
  }
}

/**
 * Throws FIELD_CHANGED (naming the field, what it holds now and that nothing was done) when the field
 * `change` acts on is no longer at the revision the window showed. No revision (a kmip-console command):
 * no check, the last change wins.
 */
export function assertFieldAsShown(pending: Settings, change: FieldChange, shownRevision: string | undefined): void {
  const id = changedField(change);
  if (shownRevision === undefined || fieldRevision(pending, id) === shownRevision) return;
  throw new SettingsError(
    'FIELD_CHANGED',
    `${FIELDS[id].label} was changed ${ELSEWHERE}: ${valueNow(pending, id)}. ${notDone(change)}`,
    { field: id },
  );
}
