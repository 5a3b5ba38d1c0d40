// Closing or reloading the window drops what exists only on screen (unsaved fields, typed passwords, a
// secret or key name typed in the object store's forms); a running Test, Apply or Recover goes on in main,
// and the page shown next takes it up (run-resume.ts). The page then asks to be kept. In Electron, main asks
// the operator (the window's 'will-prevent-unload' in main/electron/main.ts), in words made from what the
// page reports here.
import { leaveMessage, type PageLosses } from '../../../common/leave-question';
import { FILE_SLOT_IDS } from '../../../common/pki-types';
import { invoke } from '../api';
import { unsavedFields } from './field-state';
import { useDialogStore, type DialogStore } from './store';

type LeaveState = Pick<DialogStore, 'settings' | 'drafts' | 'passwordDraft' | 'fileForms' | 'objectForms' | 'run'>;

/** What the typed parts of Add a secret are called; never what was typed in them. */
function typedSecretParts({ secretName, secretValue }: LeaveState['objectForms']): PageLosses['typedSecret'] {
  const name = secretName.trim() !== '';
  const value = secretValue !== '';
  if (name && value) return 'name and value';
  return name ? 'name' : value ? 'value' : null;
}

/** What leaving now would lose or leave running, by field and form names, never a typed value. */
export function pageLosses(state: LeaveState): PageLosses {
  return {
    run: state.run?.status === 'running' ? state.run.kind : null,
    unsavedFields: state.settings ? unsavedFields(state.drafts, state.passwordDraft, state.settings.pending, state.settings.applied) : [],
    typedFilePasswords: FILE_SLOT_IDS.filter((slot) => state.fileForms[slot].password !== ''),
    typedSecret: typedSecretParts(state.objectForms),
    typedKeyName: state.objectForms.keyName.trim() !== '',
  };
}

/** The leave question's reason; null when leaving loses nothing and leaves no run behind. */
export function leaveReason(state: LeaveState): string | null {
  return leaveMessage(pageLosses(state), 'close-or-reload');
}

/**
 * Installs the beforeunload guard, and keeps main told what leaving would lose (main words its question
 * from that: Chromium shows none of the page's reason). Returns the removal of both.
 */
export function installLeaveGuard(): () => void {
  const guard = (event: BeforeUnloadEvent): void => {
    const reason = leaveReason(useDialogStore.getState());
    if (reason === null) return;
    event.preventDefault();
    // Electron cancels the unload on a set returnValue, not on preventDefault alone.
    event.returnValue = reason;
  };
  window.addEventListener('beforeunload', guard);
  let reported = '';
  const report = (state: LeaveState): void => {
    const losses = pageLosses(state);
    const key = JSON.stringify(losses);
    if (key === reported) return;
    reported = key;
    void invoke('app:leaveLosses', losses);
  };
  report(useDialogStore.getState());
  const unsubscribe = useDialogStore.subscribe(report);
  return () => {
    window.removeEventListener('beforeunload', guard);
    unsubscribe();
  };
}
