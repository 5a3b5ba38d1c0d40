// Closing or reloading the window drops what exists only on screen (unsaved fields, typed passwords) and
// ends a running Test, Apply or Recover: the page then asks to be kept. In Electron, main asks the
// operator (the window's 'will-prevent-unload' in main/electron/main.ts).
import { scalarFieldState } from './field-state';
import { EDITABLE_SCALAR_IDS, useDialogStore, type DialogStore } from './store';

type LeaveState = Pick<DialogStore, 'settings' | 'drafts' | 'passwordDraft' | 'fileForms' | 'run'>;

/** Whether leaving now would lose typed input or cut a run short. */
export function hasWorkToLose(state: LeaveState): boolean {
  if (state.run?.status === 'running') return true;
  if (state.passwordDraft !== '' || Object.values(state.fileForms).some((form) => form.password !== '')) return true;
  const { settings } = state;
  return settings !== null && EDITABLE_SCALAR_IDS.some((id) => scalarFieldState(id, state.drafts[id], settings.pending, settings.applied) === 'unsaved');
}

/** Installs the beforeunload guard; returns its removal. */
export function installLeaveGuard(): () => void {
  const guard = (event: BeforeUnloadEvent): void => {
    if (!hasWorkToLose(useDialogStore.getState())) return;
    event.preventDefault();
    // Electron cancels the unload on a set returnValue, not on preventDefault alone.
    event.returnValue = 'unsaved';
  };
  window.addEventListener('beforeunload', guard);
  return () => window.removeEventListener('beforeunload', guard);
}
