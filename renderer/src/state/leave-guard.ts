// Closing or reloading the window drops what exists only on screen (unsaved fields, typed passwords, a
// secret or key name typed in the object store's forms) and ends a running Test, Apply or Recover: the
// page then asks to be kept. In Electron, main asks the operator (the window's 'will-prevent-unload' in
// main/electron/main.ts).
import type { RunKind } from '../../../common/ipc';
import { FILE_SLOT_IDS } from '../../../common/pki-types';
import { FIELDS } from '../../../common/settings';
import { unsavedFields } from './field-state';
import { useDialogStore, type DialogStore } from './store';

type LeaveState = Pick<DialogStore, 'settings' | 'drafts' | 'passwordDraft' | 'fileForms' | 'objectForms' | 'run'>;

const runNames: Record<RunKind, string> = { test: 'Test', apply: 'Apply', recover: 'Recover' };

/** What the typed parts of Add a secret are called; never what was typed in them. */
function typedSecretParts({ secretName, secretValue }: LeaveState['objectForms']): string | null {
  const name = secretName.trim() !== '';
  const value = secretValue !== '';
  if (name && value) return 'name and value';
  return name ? 'name' : value ? 'value' : null;
}

/**
 * What leaving now would lose, as the leave question's reason: field and form names, never a typed
 * value. Null when leaving loses nothing.
 */
export function leaveReason(state: LeaveState): string | null {
  const losses: string[] = [];
  if (state.run?.status === 'running') losses.push(`the running ${runNames[state.run.kind]}, cut short`);
  const unsaved = state.settings ? unsavedFields(state.drafts, state.passwordDraft, state.settings.pending, state.settings.applied) : [];
  if (unsaved.length > 0) losses.push(`unsaved changes to ${unsaved.map((id) => FIELDS[id].label).join(', ')}`);
  const typedFilePasswords = FILE_SLOT_IDS.filter((slot) => state.fileForms[slot].password !== '');
  if (typedFilePasswords.length > 0) {
    losses.push(`the password typed for ${typedFilePasswords.map((slot) => FIELDS[slot].label).join(', ')}, not loaded with a file`);
  }
  const secretParts = typedSecretParts(state.objectForms);
  if (secretParts !== null) losses.push(`the ${secretParts} typed in Object store › Add a secret, not added`);
  if (state.objectForms.keyName.trim() !== '') losses.push('the name typed in Object store › Generate an AES key, not generated');
  return losses.length === 0 ? null : `Closing or reloading now would lose ${losses.join('; ')}.`;
}

/** Installs the beforeunload guard; returns its removal. */
export function installLeaveGuard(): () => void {
  const guard = (event: BeforeUnloadEvent): void => {
    const reason = leaveReason(useDialogStore.getState());
    if (reason === null) return;
    event.preventDefault();
    // Electron cancels the unload on a set returnValue, not on preventDefault alone.
    event.returnValue = reason;
  };
  window.addEventListener('beforeunload', guard);
  return () => window.removeEventListener('beforeunload', guard);
}
