// The dialog store under Node, against a window.kmip whose every request waits until the test answers
// it as main would: the test sees each call, and decides when and how it ends.
import type { IpcChannel, IpcResult, SettingsView } from '../../../common/ipc';
import { draftFromSettings } from '../../../renderer/src/state/field-state';
import type { DialogStore } from '../../../renderer/src/state/store';

export interface HeldCall {
  channel: IpcChannel;
  request: Record<string, unknown>;
  answer(result: IpcResult<unknown>): void;
}

export interface HeldIpcStore {
  store: { getState(): DialogStore; setState(patch: Partial<DialogStore>): void };
  /** the requests made since the last reset, in order */
  calls: HeldCall[];
  callsTo(channel: IpcChannel): HeldCall[];
  /** forgets the calls, and puts the store in the state of a dialog opened on `settings` */
  reset(settings: SettingsView): void;
}

/** Lets the store act on what the test just answered: its promise continuations, then one turn of the event loop. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Installs the held window.kmip and loads the store (once per test file, in beforeAll). */
export async function loadStoreWithHeldIpc(): Promise<HeldIpcStore> {
  const harness = { calls: [] as HeldCall[] };
  (globalThis as unknown as { window: unknown }).window = {
    kmip: {
      invoke: (channel: IpcChannel, request: Record<string, unknown>) => new Promise((answer) => harness.calls.push({ channel, request, answer })),
      on: () => () => undefined,
    },
  };
  const { useDialogStore: store, EDITABLE_SCALAR_IDS } = await import('../../../renderer/src/state/store');
  return {
    store,
    get calls() {
      return harness.calls;
    },
    callsTo: (channel) => harness.calls.filter((call) => call.channel === channel),
    reset(settings) {
      harness.calls = [];
      const drafts = Object.fromEntries(EDITABLE_SCALAR_IDS.map((id) => [id, draftFromSettings(settings.pending, id)])) as DialogStore['drafts'];
      const fileForms = Object.fromEntries(Object.keys(store.getState().fileForms).map((slot) => [slot, { format: 'pem', password: '' }])) as DialogStore['fileForms'];
      const objectForms = { secretName: '', secretValue: '', keyName: '', keySize: 256 as const };
      store.setState({ settings, drafts, passwordDraft: '', fileForms, objectForms, fieldErrors: {}, busy: {}, run: null, notice: null, recoveryMode: false, recoverySource: 'store', chosenBackup: null });
    },
  };
}
