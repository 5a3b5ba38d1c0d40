// The dialog's state (zustand): what main said (pending / applied settings), what is on screen
// (drafts, and the object store's forms), per-field messages, and the Test / Apply / Recover run being shown.
import { create } from 'zustand';
import type {
  ApplyResult,
  ChosenBackup,
  EntropyStatusView,
  IpcError,
  IpcRequest,
  RecoverResult,
  RecoveryState,
  RunKind,
  SettingsView,
  StepReport,
  TestReport,
  UnsavedValuesTested,
} from '../../../common/ipc';
import { FILE_SLOT_IDS, type FileFormat, type FileSlotId } from '../../../common/pki-types';
import {
  CERT_SLOT_OF_KEY,
  ELSEWHERE,
  FIELDS,
  FIELD_IDS,
  SCALAR_FIELD_IDS,
  changedFieldIds,
  checkSecretValue,
  fieldOfSecret,
  validateField,
  type FieldId,
  type ScalarFieldId,
  type SecretId,
} from '../../../common/settings';
import { withStep } from '../../../common/run-steps';
import { invoke, newRunId, subscribe } from '../api';
import { draftFromSettings, pendingFields, scalarFieldState, type DraftValue } from './field-state';
import { ownRunAnswered, resumeRun, runStartedHere } from './run-resume';

export type EditableScalarId = Exclude<ScalarFieldId, 'password'>;
export const EDITABLE_SCALAR_IDS = SCALAR_FIELD_IDS.filter((id): id is EditableScalarId => id !== 'password');

export interface FileForm {
  format: FileFormat;
  password: string;
}

/** The object store's Add a secret and Generate an AES key forms, as typed until Add secret or Generate key sends them. */
export interface ObjectForms {
  secretName: string;
  secretValue: string;
  keyName: string;
  keySize: IpcRequest<'store:generate'>['sizeBits'];
}

export interface RunState {
  kind: RunKind;
  runId: string;
  status: 'running' | 'succeeded' | 'failed';
  steps: StepReport[];
  test?: TestReport;
  apply?: ApplyResult;
  recover?: RecoverResult;
  error?: IpcError;
  /** the operator asked to stop this run, and main accepted */
  canceled?: boolean;
  /** the operator asked too late: an Apply or Recover past its point of no return finishes */
  cancelRefused?: boolean;
  /** a Test this page did not start (it ran before a reload) that ran with values on screen not saved then */
  unsavedValues?: UnsavedValuesTested;
}

export interface Notice {
  severity: 'success' | 'info' | 'warning' | 'error';
  text: string;
}

/**
 * How long a notice stays before it hides by itself: news (success, info) for 6 s; a warning or an error
 * (null) until the operator closes it or another notice replaces it, since it says what went wrong or
 * what to check, and must not vanish before it was read.
 */
export function noticeAutoHideMs(notice: Notice): number | null {
  return notice.severity === 'success' || notice.severity === 'info' ? 6000 : null;
}

export type View = 'settings' | 'store' | 'recovery';

interface DialogState {
  view: View;
  /** the dialog opened from System Recovery Options: Apply is replaced by Recover */
  recoveryMode: boolean;
  /** what Recover recovers: the store in the data folder, or the chosen backup file */
  recoverySource: 'store' | 'backup';
  /** the backup file chosen on System Recovery Options (main keeps the file) */
  chosenBackup: ChosenBackup | null;
  /** why the last file chosen cannot be restored */
  backupError: IpcError | null;
  /** the operator confirmed that restoring the backup replaces the store in the data folder */
  replaceStoreConfirmed: boolean;
  settings: SettingsView | null;
  recovery: RecoveryState | null;
  /** the key server's latest entropy for the status line; null while entropy at start still runs */
  entropy: EntropyStatusView | null;
  startupError: IpcError | null;
  drafts: Record<EditableScalarId, DraftValue>;
  passwordDraft: string;
  fileForms: Record<FileSlotId, FileForm>;
  /** kept while another view is shown, as the dialog's drafts are */
  objectForms: ObjectForms;
  fieldErrors: Partial<Record<FieldId, string>>;
  busy: Partial<Record<string, boolean>>;
  run: RunState | null;
  notice: Notice | null;
}

interface DialogActions {
  init(): Promise<void>;
  /** The settings as saved now (edits kept), when the window comes back: another window or the CLI may have saved others. */
  lookAgain(): Promise<void>;
  showView(view: View): void;
  openRecoveryDialog(source: 'store' | 'backup'): void;
  leaveRecoveryMode(): void;
  chooseBackup(): Promise<void>;
  confirmReplaceStore(confirmed: boolean): void;
  setDraft(id: EditableScalarId, value: DraftValue): void;
  setPasswordDraft(value: string): void;
  setFileForm(slot: FileSlotId, form: Partial<FileForm>): void;
  setObjectForms(forms: Partial<ObjectForms>): void;
  saveField(id: ScalarFieldId): Promise<void>;
  loadFile(slot: FileSlotId): Promise<void>;
  clearFile(slot: FileSlotId): Promise<void>;
  clearSecret(id: SecretId): Promise<void>;
  test(): Promise<void>;
  /** Stops the running Test at its current step (Apply and Recover cannot be stopped). */
  cancelRun(): Promise<void>;
  apply(): Promise<void>;
  recover(): Promise<void>;
  revert(): Promise<void>;
  reset(): Promise<void>;
  closeRun(): void;
  dismissNotice(): void;
}

export type DialogStore = DialogState & DialogActions;

function draftsFrom(view: SettingsView): Record<EditableScalarId, DraftValue> {
  return Object.fromEntries(EDITABLE_SCALAR_IDS.map((id) => [id, draftFromSettings(view.pending, id)])) as Record<
    EditableScalarId,
    DraftValue
  >;
}

function emptyFileForms(): Record<FileSlotId, FileForm> {
  return Object.fromEntries(FILE_SLOT_IDS.map((slot) => [slot, { format: 'pem', password: '' }])) as Record<FileSlotId, FileForm>;
}

/** Each slot's Format shows the loaded file's format; an empty slot keeps the operator's choice. */
function fileFormsFrom(view: SettingsView, forms: Record<FileSlotId, FileForm>): Record<FileSlotId, FileForm> {
  return Object.fromEntries(
    FILE_SLOT_IDS.map((slot) => [slot, { ...forms[slot], format: view.pending[slot]?.format ?? forms[slot].format }]),
  ) as Record<FileSlotId, FileForm>;
}

function labels(ids: FieldId[]): string {
  return ids.map((id) => FIELDS[id].label).join(', ');
}

/**
 * The fields whose saved value a Load File or Clear of `slot` may change: a key slot's certificate slot too,
 * whose leaf the key may choose again (main's withLeafForKey).
 */
function fieldsChangedBy(slot: FileSlotId): FieldId[] {
  return slot in CERT_SLOT_OF_KEY ? [slot, CERT_SLOT_OF_KEY[slot as keyof typeof CERT_SLOT_OF_KEY]] : [slot];
}

/**
 * The fields whose applied value is not the one shown before: null when the applied settings are the same;
 * empty when they changed but no field's value did (the first Apply, of the defaults).
 */
function appliedFieldsChanged(before: SettingsView['applied'], after: SettingsView['applied']): FieldId[] | null {
  if (after === null) return null;
  const changed = changedFieldIds(after, before);
  return before !== null && changed.length === 0 ? null : changed;
}

/**
 * Names the saved values another window or process changed (a field with an edit here keeps the edit, and
 * says so), and the applied ones (`applied`: null when they did not change).
 */
function changedElsewhereNotice(changed: FieldId[], keptEdits: FieldId[], applied: FieldId[] | null): Notice {
  const shown = changed.filter((id) => !keptEdits.includes(id));
  const kept = changed.filter((id) => keptEdits.includes(id));
  const sentences: string[] = [];
  if (shown.length > 0) {
    sentences.push(
      shown.length === 1
        ? `${labels(shown)} was changed ${ELSEWHERE}: it shows what is saved now.`
        : `${labels(shown)} were changed ${ELSEWHERE}: they show what is saved now.`,
    );
  }
  if (kept.length > 0) {
    const where = shown.length > 0 ? 'too' : ELSEWHERE;
    sentences.push(
      kept.length === 1
        ? `${labels(kept)} was changed ${where}; your unsaved edit stays on screen, and saving it replaces that change.`
        : `${labels(kept)} were changed ${where}; your unsaved edits stay on screen, and saving them replaces those changes.`,
    );
  }
  if (applied !== null) {
    const what = applied.length === 0 ? 'The settings were' : applied.length === 1 ? `${labels(applied)} was` : `${labels(applied)} were`;
    sentences.push(`${what} applied ${ELSEWHERE}: the window shows what is applied now.`);
  }
  return { severity: 'warning', text: sentences.join(' ') };
}

const initialDrafts = Object.fromEntries(EDITABLE_SCALAR_IDS.map((id) => [id, ''])) as Record<EditableScalarId, DraftValue>;

let unsubscribeProgress: (() => void) | null = null;

export const useDialogStore = create<DialogStore>()((set, get) => {
  /** how many views from main this window has shown (see reloadSettingsKeepingEdits) */
  let acceptedViews = 0;
  function setBusy(key: string, value: boolean): void {
    set((state) => ({ busy: { ...state.busy, [key]: value } }));
  }

  function fieldError(field: FieldId, message: string | undefined): void {
    set((state) => {
      const next = { ...state.fieldErrors };
      if (message === undefined) delete next[field];
      else next[field] = message;
      return { fieldErrors: next };
    });
  }

  /**
   * Settings from main, after an action of this window or a change made elsewhere (another window, the CLI).
   * 'all': every field shows them (the dialog opens, Revert, Reset). Otherwise each field shows its new saved
   * value unless it holds an edit not saved yet; `refreshDrafts` show it anyway (the value this window just
   * saved). Saved values that changed other than by this window's action (`changedHere`) are named in a
   * notice: the operator did not make those changes and must not take them for their own. So are applied
   * values, unless this window's Apply or Recover applied them (`appliedHere`).
   */
  function acceptSettings(
    view: SettingsView,
    refreshDrafts: 'all' | EditableScalarId[] = [],
    changedHere: readonly FieldId[] = [],
    appliedHere = false,
  ): void {
    acceptedViews += 1;
    set((state) => {
      const before = state.settings;
      if (refreshDrafts === 'all' || before === null) {
        return { settings: view, drafts: draftsFrom(view), fileForms: fileFormsFrom(view, state.fileForms) };
      }
      const fresh = draftsFrom(view);
      const drafts = { ...state.drafts };
      const keptEdits: FieldId[] = state.passwordDraft !== '' ? ['password'] : [];
      for (const id of EDITABLE_SCALAR_IDS) {
        if (refreshDrafts.includes(id) || scalarFieldState(id, state.drafts[id], before.pending, before.applied) !== 'unsaved') drafts[id] = fresh[id];
        else keptEdits.push(id);
      }
      // The fields whose saved value differs from the one saved before (the earlier pending settings as the base).
      const changedElsewhere = pendingFields(view.pending, before.pending).filter((id) => !changedHere.includes(id));
      const appliedElsewhere = appliedHere ? null : appliedFieldsChanged(before.applied, view.applied);
      const named = changedElsewhere.length > 0 || appliedElsewhere !== null;
      return { settings: view, drafts, ...(named ? { notice: changedElsewhereNotice(changedElsewhere, keptEdits, appliedElsewhere) } : {}) };
    });
  }

  /**
   * The settings as saved now, after another window or process changed them (acceptSettings keeps the edits).
   * A view an action of this window answered with while this read went on is newer than what it returns: the
   * read is then dropped, or it would show older values and name this window's own change as made elsewhere.
   * `notNamed`: fields a message of the caller names already. `appliedHere`: an Apply or Recover of this
   * window (or one it shows, resumed after a reload) applied them; one still running counts too.
   */
  async function reloadSettingsKeepingEdits(notNamed: readonly FieldId[] = [], appliedHere = false): Promise<void> {
    const viewsBefore = acceptedViews;
    const result = await invoke('settings:get', {});
    const { run } = get();
    const ownRunApplying = run?.status === 'running' && run.kind !== 'test';
    if (result.ok && acceptedViews === viewsBefore) acceptSettings(result.value, [], notNamed, appliedHere || ownRunApplying);
  }

  /** Saves, loads, clears, Reverts and Resets of this window that main has not answered yet, with the fields each may change. */
  const changesInFlight = new Map<Promise<unknown>, readonly FieldId[]>();

  function changing<T>(request: Promise<T>, fields: readonly FieldId[]): Promise<T> {
    changesInFlight.set(request, fields);
    void request.finally(() => changesInFlight.delete(request));
    return request;
  }

  /** The revision of `field` on screen, as a save, Load File or Clear of it sends it (`basedOn`). */
  function fieldBase(field: FieldId): { basedOn?: string } {
    const basedOn = get().settings?.fieldRevisions[field];
    return basedOn ? { basedOn } : {};
  }

  /**
   * A save, Load File or Clear of `field`, as a change in flight of `changes`, sent with the field's revision on
   * screen: main refuses it (FIELD_CHANGED) when another window or a kmip-console command changed the field
   * since. The revision is read once this window's own changes of that field already in flight are answered,
   * as shownRevision is (sent before, a Clear of Cert would name this window's own Load File of Key, which may
   * choose the Cert file's leaf again, as a change made elsewhere); at once when there are none.
   */
  function changeOf<T>(field: FieldId, changes: readonly FieldId[], send: (base: { basedOn?: string }) => Promise<T>): Promise<T> {
    const earlier = [...changesInFlight].filter(([, fields]) => fields.includes(field)).map(([request]) => request);
    const request = earlier.length > 0 ? Promise.allSettled(earlier).then(() => send(fieldBase(field))) : send(fieldBase(field));
    return changing(request, changes);
  }

  /**
   * A refused change shown as main's message, in a notice of `severity`: after the settings as saved now when
   * `reload` says so (what was typed stays on screen, unsaved; `reload.notNamed`: fields the message names
   * already), followed by the notice that names what else changed elsewhere.
   */
  async function showRefusal(error: IpcError, severity: Notice['severity'], reload: { notNamed: readonly FieldId[] } | null): Promise<void> {
    const before = get().notice;
    if (reload) await reloadSettingsKeepingEdits(reload.notNamed);
    const named = get().notice;
    const others = named !== before && named?.severity === 'warning' ? ` ${named.text}` : '';
    set({ notice: { severity, text: `${error.message}${others}` } });
  }

  /**
   * A save, load or clear refused because the field was changed elsewhere since this window showed it: main's
   * message names the field, what it holds now and that nothing was changed.
   */
  function refusedAsFieldChanged(field: FieldId, error: IpcError): Promise<void> {
    return showRefusal(error, 'warning', { notNamed: [field] });
  }

  /**
   * The revision of the settings on screen (pending and applied), which Apply, Revert, Reset and recovery send:
   * main refuses them (SETTINGS_CHANGED) when another window or a kmip-console command saved or applied others since.
   * It is read once this window's own changes in flight are answered: sent before, it would be refused,
   * and this window's own Load File or Clear named as a change made elsewhere. Those actions are offered
   * only once the settings are shown.
   */
  async function shownRevision(): Promise<string> {
    while (changesInFlight.size > 0) await Promise.allSettled([...changesInFlight.keys()]);
    return get().settings?.settingsRevision ?? '';
  }

  /**
   * Revert or Reset refused: the error, after the settings as saved now when they were stale (the error says
   * the window shows them), followed by the notice that names what changed.
   */
  function refusedAsStale(error: IpcError): Promise<void> {
    return showRefusal(error, 'error', error.code === 'SETTINGS_CHANGED' ? { notNamed: [] } : null);
  }

  /** A failed run: its error goes to the run dialog, and to the field it names, as after a refused Save. */
  function failRun(runId: string, error: IpcError): void {
    finishRun(runId, { status: 'failed', error });
    if (error.field) fieldError(error.field as FieldId, error.message);
    // What the run was refused for is not on screen yet: show it before the operator runs Apply again.
    if (error.code === 'SETTINGS_CHANGED') void reloadSettingsKeepingEdits();
  }

  /** Answers once entropy at start has ended (bounded by Timeout, unless 0): the status line waits, nothing else does. */
  function refreshEntropy(): void {
    void invoke('app:entropyStatus', {}).then((result) => {
      if (result.ok) set({ entropy: result.value });
    });
  }

  /** Whether the store unlocks, as System Recovery Options shows it. */
  async function refreshRecovery(): Promise<void> {
    const result = await invoke('app:recoveryState', {});
    if (result.ok) set({ recovery: result.value });
  }

  async function runWorkflow(kind: RunKind, start: (runId: string) => Promise<void>): Promise<void> {
    if (get().run?.status === 'running') return;
    const runId = newRunId(kind);
    runStartedHere(runId);
    set({ run: { kind, runId, status: 'running', steps: [] } });
    await start(runId);
  }

  function finishRun(runId: string, patch: Partial<RunState>): void {
    set((state) => (state.run?.runId === runId ? { run: { ...state.run, ...patch } } : {}));
  }

  return {
    view: 'settings',
    recoveryMode: false,
    recoverySource: 'store',
    chosenBackup: null,
    backupError: null,
    replaceStoreConfirmed: false,
    settings: null,
    recovery: null,
    entropy: null,
    startupError: null,
    drafts: initialDrafts,
    passwordDraft: '',
    fileForms: emptyFileForms(),
    objectForms: { secretName: '', secretValue: '', keyName: '', keySize: 256 },
    fieldErrors: {},
    busy: {},
    run: null,
    notice: null,

    async init() {
      unsubscribeProgress?.();
      unsubscribeProgress = subscribe('progress', (event) => {
        set((state) => (state.run?.runId === event.runId ? { run: { ...state.run, steps: withStep(state.run.steps, event.step) } } : {}));
      });
      refreshEntropy();
      const [settings, recovery] = await Promise.all([invoke('settings:get', {}), invoke('app:recoveryState', {})]);
      if (!settings.ok) {
        set({ startupError: settings.error });
        return;
      }
      acceptSettings(settings.value, 'all');
      if (recovery.ok) {
        // A store that does not unlock, or that went missing after an Apply, is what the operator must see first.
        const attention = recovery.value.state === 'needs-recovery' || (recovery.value.state === 'no-store' && recovery.value.reason !== undefined);
        set({ recovery: recovery.value, view: attention ? 'recovery' : 'settings' });
      }
      // A run that went on in main while the page reloaded (or the window was closed) is shown, and its end.
      void resumeRun({
        shownRun: () => get().run,
        showRun: (run) => set({ run }),
        finishRun,
        failRun,
        refreshAfterRun: async (appliedByRun) => {
          refreshEntropy();
          await Promise.all([reloadSettingsKeepingEdits([], appliedByRun), refreshRecovery()]);
        },
      });
    },

    async lookAgain() {
      if (get().settings === null) return; // not shown yet: init() reads them
      await reloadSettingsKeepingEdits();
    },

    showView(view) {
      set({ view });
      if (view === 'recovery') void refreshRecovery();
    },

    openRecoveryDialog(source) {
      set({ view: 'settings', recoveryMode: true, recoverySource: source });
    },

    async chooseBackup() {
      setBusy('chooseBackup', true);
      const result = await invoke('recovery:chooseBackup', {});
      setBusy('chooseBackup', false);
      if (!result.ok) set({ chosenBackup: null, backupError: result.error, replaceStoreConfirmed: false });
      else if (!result.value.canceled) set({ chosenBackup: result.value.backup, backupError: null, replaceStoreConfirmed: false });
    },

    confirmReplaceStore(confirmed) {
      set({ replaceStoreConfirmed: confirmed });
    },

    leaveRecoveryMode() {
      set({ recoveryMode: false, recoverySource: 'store' });
    },

    setDraft(id, value) {
      set((state) => ({ drafts: { ...state.drafts, [id]: value } }));
      fieldError(id, undefined);
    },

    setPasswordDraft(value) {
      set({ passwordDraft: value });
      fieldError('password', undefined);
    },

    setFileForm(slot, form) {
      set((state) => ({ fileForms: { ...state.fileForms, [slot]: { ...state.fileForms[slot], ...form } } }));
      fieldError(slot, undefined);
    },

    setObjectForms(forms) {
      set((state) => ({ objectForms: { ...state.objectForms, ...forms } }));
    },

    async saveField(id) {
      // One save per field at a time: a repeated Enter must not write the same value (or keychain entry) again.
      if (get().busy[`save:${id}`]) return;
      const value = id === 'password' ? get().passwordDraft : get().drafts[id];
      // Same rules as main, checked first so an obvious mistake needs no round trip.
      const local = validateField(id, value);
      if (!local.ok) {
        fieldError(id, local.message);
        return;
      }
      setBusy(`save:${id}`, true);
      const result = await changeOf(id, [id], (base) => invoke('settings:saveField', { id, value, ...base }));
      setBusy(`save:${id}`, false);
      if (!result.ok) {
        if (result.error.code === 'FIELD_CHANGED') await refusedAsFieldChanged(id, result.error);
        else fieldError((result.error.field as FieldId | undefined) ?? id, result.error.message);
        return;
      }
      fieldError(id, undefined);
      // What was typed while the save was on its way stays on screen (unsaved), not replaced by the saved value.
      if (id === 'password') {
        if (get().passwordDraft === value) set({ passwordDraft: '' });
        acceptSettings(result.value, [], [id]);
      } else {
        acceptSettings(result.value, get().drafts[id] === value ? [id] : [], [id]);
      }
    },

    async loadFile(slot) {
      const form = get().fileForms[slot];
      // Save's rules for a password, checked here too: main's request schema would refuse it without naming the field.
      const passwordCheck = form.password !== '' ? checkSecretValue(slot, form.password) : null;
      if (passwordCheck && !passwordCheck.ok) {
        fieldError(slot, passwordCheck.message);
        return;
      }
      setBusy(`load:${slot}`, true);
      const password = passwordCheck ? { password: passwordCheck.value } : {};
      const result = await changeOf(slot, fieldsChangedBy(slot), (base) => invoke('settings:loadFile', { slot, format: form.format, ...password, ...base }));
      setBusy(`load:${slot}`, false);
      if (!result.ok && result.error.code === 'FIELD_CHANGED') {
        await refusedAsFieldChanged(slot, result.error); // the password typed for the file stays in its field
        return;
      }
      if (!result.ok) {
        // A refused load changes nothing in main: the file loaded before stays in use, and the operator must not have to guess.
        const before = get().settings?.pending[slot];
        const stays = before && result.error.code !== 'IPC_UNAVAILABLE' ? ` ${before.details.sourceName} stays loaded.` : '';
        fieldError((result.error.field as FieldId | undefined) ?? slot, result.error.message + stays);
        return;
      }
      if (result.value.canceled) return;
      fieldError(slot, undefined);
      get().setFileForm(slot, { password: '' });
      acceptSettings(result.value.settings, [], [slot]);
    },

    async clearFile(slot) {
      setBusy(`clear:${slot}`, true);
      const result = await changeOf(slot, fieldsChangedBy(slot), (base) => invoke('settings:clearFile', { slot, ...base }));
      setBusy(`clear:${slot}`, false);
      if (!result.ok) {
        if (result.error.code === 'FIELD_CHANGED') await refusedAsFieldChanged(slot, result.error);
        else fieldError(slot, result.error.message);
        return;
      }
      fieldError(slot, undefined);
      acceptSettings(result.value, [], [slot]);
    },

    async clearSecret(id) {
      const field = fieldOfSecret(id);
      setBusy(`clearSecret:${id}`, true);
      const result = await changeOf(field, [field], (base) => invoke('settings:clearSecret', { id, ...base }));
      setBusy(`clearSecret:${id}`, false);
      if (!result.ok) {
        if (result.error.code === 'FIELD_CHANGED') await refusedAsFieldChanged(field, result.error);
        else fieldError(field, result.error.message);
        return;
      }
      fieldError(field, undefined);
      acceptSettings(result.value, [], [field]);
    },

    async test() {
      await runWorkflow('test', async (runId) => {
        const { drafts, passwordDraft, settings } = get();
        // Save's rules for a typed password: refused here, the message names the field and its limit, and goes to it.
        const typed = passwordDraft !== '' ? checkSecretValue('password', passwordDraft) : null;
        if (typed && !typed.ok) {
          failRun(runId, { code: 'VALIDATION_FAILED', message: typed.message, field: typed.field });
          return;
        }
        const password =
          passwordDraft !== ''
            ? { kind: 'new' as const, value: passwordDraft }
            : settings?.pending.password.stored
              ? { kind: 'stored' as const }
              : { kind: 'none' as const };
        const result = await invoke('eks:test', { runId, values: drafts, password });
        ownRunAnswered(runId, result);
        if (!result.ok) failRun(runId, result.error);
        else finishRun(runId, { status: result.value.ok ? 'succeeded' : 'failed', steps: result.value.steps, test: result.value });
      });
    },

    async cancelRun() {
      const run = get().run;
      if (run?.status !== 'running' || run.canceled || run.cancelRefused) return;
      finishRun(run.runId, { canceled: true });
      const result = await invoke('eks:cancelRun', { runId: run.runId });
      // The run ended before the request arrived, or is past its point of no return: its outcome is its own.
      if (!result.ok || !result.value.canceled) finishRun(run.runId, { canceled: false, cancelRefused: get().run?.status === 'running' });
    },

    async apply() {
      await runWorkflow('apply', async (runId) => {
        const result = await invoke('settings:apply', { runId, settingsRevision: await shownRevision() });
        ownRunAnswered(runId, result);
        if (!result.ok) {
          failRun(runId, result.error);
          return;
        }
        finishRun(runId, { status: 'succeeded', steps: result.value.steps, apply: result.value });
        acceptSettings(result.value.settings, [], [], true);
        refreshEntropy();
        // Apply may have created the store: System Recovery Options must not show the state from before.
        await refreshRecovery();
      });
    },

    async recover() {
      await runWorkflow('recover', async (runId) => {
        const { recoverySource: source, replaceStoreConfirmed } = get();
        const settingsRevision = await shownRevision();
        const result = await invoke(
          'eks:recover',
          source === 'backup' ? { runId, source, replaceStore: replaceStoreConfirmed, settingsRevision } : { runId, source, settingsRevision },
        );
        ownRunAnswered(runId, result);
        if (!result.ok) {
          failRun(runId, result.error);
          return;
        }
        finishRun(runId, { status: 'succeeded', steps: result.value.steps, recover: result.value });
        // Main forgets a restored backup: it is not restored twice by mistake.
        if (source === 'backup') set({ chosenBackup: null, replaceStoreConfirmed: false });
        // Recovered: recovery mode, and its Recover button, end, so that another click cannot run the recovery again;
        // Apply (a new Admin Key generation, often the next step on a new machine) is back in its place.
        get().leaveRecoveryMode();
        set({ notice: { severity: 'success', text: 'Recovery finished and recovery mode has ended: the settings used for it are now the applied ones.' } });
        const [settings, recovery] = await Promise.all([invoke('settings:get', {}), invoke('app:recoveryState', {})]);
        if (settings.ok) acceptSettings(settings.value, [], [], true);
        if (recovery.ok) set({ recovery: recovery.value });
      });
    },

    async revert() {
      setBusy('revert', true);
      const result = await changing(invoke('settings:revert', { settingsRevision: await shownRevision() }), FIELD_IDS);
      setBusy('revert', false);
      if (!result.ok) {
        await refusedAsStale(result.error);
        return;
      }
      set({ fieldErrors: {}, passwordDraft: '', notice: { severity: 'info', text: 'Pending changes reverted to the applied settings.' } });
      acceptSettings(result.value, 'all');
    },

    async reset() {
      setBusy('reset', true);
      const result = await changing(invoke('settings:reset', { settingsRevision: await shownRevision() }), FIELD_IDS);
      setBusy('reset', false);
      if (!result.ok) {
        await refusedAsStale(result.error);
        return;
      }
      set({
        fieldErrors: {},
        passwordDraft: '',
        notice: { severity: 'info', text: 'Pending settings reset to the defaults. Nothing takes effect until Apply.' },
      });
      acceptSettings(result.value, 'all');
    },

    closeRun() {
      if (get().run?.status !== 'running') set({ run: null });
    },

    dismissNotice() {
      set({ notice: null });
    },
  };
});
