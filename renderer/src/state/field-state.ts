// Per-field state shown as a chip: unsaved (on screen only), pending (saved, not applied),
// applied, or default (nothing applied yet and the field still has its default). Pure functions.
import type { FileSlotId } from '../../../common/pki-types';
import { FIELDS, type FieldId, type ScalarFieldId, type SecretMarker, type Settings, type StoredFile } from '../../../common/settings';

export type FieldState = 'unsaved' | 'pending' | 'applied' | 'default';

/** What the form holds for a scalar field: text as typed, or the switch/select value. */
export type DraftValue = string | number | boolean;

/** The form value a persisted scalar is shown as (numbers as text so they can be edited). */
export function draftFromSettings(settings: Settings, id: Exclude<ScalarFieldId, 'password'>): DraftValue {
  const value = settings[id];
  return typeof value === 'number' ? String(value) : value;
}

function sameScalar(a: DraftValue, b: DraftValue): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.trim() === b.trim();
  return String(a) === String(b);
}

function sameMarker(a: SecretMarker, b: SecretMarker): boolean {
  return a.stored === b.stored && (!a.stored || a.savedAt === b.savedAt);
}

function sameFile(a: StoredFile | null, b: StoredFile | null): boolean {
  if (a === null || b === null) return a === b;
  return a.fileName === b.fileName && a.loadedAt === b.loadedAt && sameMarker(a.password, b.password);
}

export function scalarFieldState(
  id: Exclude<ScalarFieldId, 'password'>,
  draft: DraftValue,
  pending: Settings,
  applied: Settings | null,
): FieldState {
  const saved = draftFromSettings(pending, id);
  if (!sameScalar(draft, saved)) return 'unsaved';
  if (applied === null) {
    const fallback = FIELDS[id].defaultValue;
    return fallback !== undefined && sameScalar(saved, typeof fallback === 'number' ? String(fallback) : fallback) ? 'default' : 'pending';
  }
  return sameScalar(saved, draftFromSettings(applied, id)) ? 'applied' : 'pending';
}

/** The KMIP password: unsaved while something is typed; otherwise compares the keychain markers. */
export function secretFieldState(typed: string, pending: SecretMarker, applied: SecretMarker | null): FieldState {
  if (typed !== '') return 'unsaved';
  if (applied === null) return pending.stored ? 'pending' : 'default';
  return sameMarker(pending, applied) ? 'applied' : 'pending';
}

export function fileSlotState(slot: FileSlotId, pending: Settings, applied: Settings | null): FieldState {
  if (applied === null) return pending[slot] ? 'pending' : 'default';
  return sameFile(pending[slot], applied[slot]) ? 'applied' : 'pending';
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
