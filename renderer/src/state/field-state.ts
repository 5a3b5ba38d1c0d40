// Per-field state shown as a chip: unsaved (on screen only), pending (saved, not applied),
// applied, or default (nothing applied yet and the field still has its default). Pure functions.
import type { FileSlotId } from '../../../common/pki-types';
import { FIELDS, defaultSettings, sameFieldValue, type FieldId, type ScalarFieldId, type SecretMarker, type Settings } from '../../../common/settings';

export type FieldState = 'unsaved' | 'pending' | 'applied' | 'default';

/** What the form holds for a scalar field: text as typed, or the switch/select value. */
export type DraftValue = string | number | boolean;

/** The form value a persisted scalar is shown as (numbers as text so they can be edited). */
export function draftFromSettings(settings: Settings, id: Exclude<ScalarFieldId, 'password'>): DraftValue {
  const value = settings[id];
  return typeof value === 'number' ? String(value) : value;
}

/**
 * Whether the form shows the saved value: typed text compared with the saved one without the spaces around
 * it, as Save stores it (validateField trims), so "lab " is not "unsaved" next to a saved "lab"; numbers as
 * text. Saved values are compared with each other by sameFieldValue (common/settings.ts) only.
 */
function draftShowsSaved(draft: DraftValue, saved: DraftValue): boolean {
  if (typeof draft === 'string' && typeof saved === 'string') return draft.trim() === saved.trim();
  return String(draft) === String(saved);
}

export function scalarFieldState(
  id: Exclude<ScalarFieldId, 'password'>,
  draft: DraftValue,
  pending: Settings,
  applied: Settings | null,
): FieldState {
  if (!draftShowsSaved(draft, draftFromSettings(pending, id))) return 'unsaved';
  // Before the first Apply, a field is pending once saved to something else than a fresh install holds
  // (for Server Name and Host Name, which have no default, once saved at all), as file slots are.
  if (applied === null) return sameFieldValue(id, pending[id], defaultSettings()[id]) ? 'default' : 'pending';
  return sameFieldValue(id, pending[id], applied[id]) ? 'applied' : 'pending';
}

/** The KMIP password: unsaved while something is typed; otherwise compares the keychain markers. */
export function secretFieldState(typed: string, pending: SecretMarker, applied: SecretMarker | null): FieldState {
  if (typed !== '') return 'unsaved';
  if (applied === null) return pending.stored ? 'pending' : 'default';
  return sameFieldValue('password', pending, applied) ? 'applied' : 'pending';
}

/** A file slot: compared by its whole record, so also by the certificate chosen from a Cert file. */
export function fileSlotState(slot: FileSlotId, pending: Settings, applied: Settings | null): FieldState {
  if (applied === null) return pending[slot] ? 'pending' : 'default';
  return sameFieldValue(slot, pending[slot], applied[slot]) ? 'applied' : 'pending';
}

/** Every field whose pending value differs from the applied one (what Revert would drop). */
export function pendingFields(pending: Settings, applied: Settings | null): FieldId[] {
  const ids = Object.keys(FIELDS) as FieldId[];
  return ids.filter((id) => {
    const kind = FIELDS[id].kind;
    if (kind === 'file') return fileSlotState(id as FileSlotId, pending, applied) === 'pending';
    if (kind === 'secret') return secretFieldState('', pending.password, applied?.password ?? null) === 'pending';
    const scalar = id as Exclude<ScalarFieldId, 'password'>;
    return scalarFieldState(scalar, draftFromSettings(pending, scalar), pending, applied) === 'pending';
  });
}

/** Every field whose value on screen is not saved (what Apply leaves out), the typed password last. */
export function unsavedFields(
  drafts: Record<Exclude<ScalarFieldId, 'password'>, DraftValue>,
  passwordDraft: string,
  pending: Settings,
  applied: Settings | null,
): FieldId[] {
  const ids = (Object.keys(drafts) as Exclude<ScalarFieldId, 'password'>[]).filter(
    (id) => scalarFieldState(id, drafts[id], pending, applied) === 'unsaved',
  );
  return passwordDraft !== '' ? [...ids, 'password'] : ids;
}
