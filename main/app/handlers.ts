// Implementations of every IPC channel (common/ipc.ts), Node-only: the Electron main process and
// the e2e bridge construct them with their own dialogs and progress sink, over the same settings
// repository, keychain and EKS workflows.
import type {
  ApplyResult,
  ChooseBackupResult,
  EntropyStatusView,
  FinishedRun,
  IpcRequest,
  IpcResult,
  RecoverResult,
  StoreObjectSummary,
  ProgressEvent,
  RunKind,
  RunResults,
  StepReport,
  UnsavedValuesTested,
} from '../../common/ipc';
import type { PageLosses } from '../../common/leave-question';
import { withStep } from '../../common/run-steps';
import { stat } from 'node:fs/promises';
import type { FileFormat } from '../../common/pki-types';
import { AppError } from '../../common/app-error';
import { FIELDS, changedFieldIds, withDraftValues, type FieldId, type Settings } from '../../common/settings';
import {
  assertRestoreAllowed,
  mixedRandom,
  openDataFolderStore,
  readRecoverableHeader,
  recoveryState,
  runApply,
  runRecover,
  runTest,
  RunCancel,
  type EntropyReport,
  type RecoverySource,
} from '../eks';
import type { SecretStore } from '../secrets';
import { SettingsError, assertSettingsAsShown, type SettingsRepository } from '../settings';
import { ObjectStore, changeObjects, keychainUnlockKeys, storeFilePath, type ObjectInfo } from '../store';
import { oneAtATime } from '../files';
import { describeBackup } from './backup-restore';
import { secretsForTest } from './test-password';
import { toIpcError, type IpcHandlers } from './ipc-dispatch';

export interface FilePickRequest {
  title: string;
  filters: { name: string; extensions: string[] }[];
}

export interface HandlerDeps {
  /** the app's data folder (settings, copied files, store) */
  dataDir: string;
  /** pending / applied settings over the data folder and the keychain */
  settings: SettingsRepository;
  /** the OS keychain (local unlock key of the store) */
  secrets: SecretStore;
  /** native open dialog; null when the user cancels */
  pickFile(request: FilePickRequest): Promise<string | null>;
  /** native save dialog; null when the user cancels */
  pickSaveFile(request: { title: string; defaultName: string }): Promise<string | null>;
  /** sends a Test / Apply / Recover step to the renderer */
  emitProgress(event: ProgressEvent): void;
  /** tells the renderer that a Test / Apply / Recover ended; absent where no page outlives its own runs */
  emitRunFinished?(run: FinishedRun): void;
  /** a Test / Apply / Recover started (its kind) or ended (null), for main's question before quitting */
  runningChanged?(running: RunKind | null): void;
  /** the page's latest report of what leaving it would lose; absent where nothing asks before a page goes */
  pageLossesChanged?(losses: PageLosses): void;
  /** entropy at start, begun when the app started (main/app/entropy-at-start.ts) */
  entropyAtStart: Promise<EntropyReport>;
}

/** The Test, Apply or Recover in progress, with its steps so far (and for a Test, the unsaved values it runs with). */
interface ActiveRun {
  kind: RunKind;
  runId: string;
  cancel: RunCancel;
  steps: StepReport[];
  unsavedValues?: UnsavedValuesTested;
}

/** A run as the dialog names it, with its article. */
const runWithArticle: Record<RunKind, string> = { test: 'A Test', apply: 'An Apply', recover: 'A Recover' };

/** The channel each run is started on, for the error its request answers with. */
const runChannels = { test: 'eks:test', apply: 'settings:apply', recover: 'eks:recover' } as const satisfies Record<RunKind, string>;

class OperationInProgressError extends AppError {
  constructor(running: RunKind) {
    super('OPERATION_IN_PROGRESS', `${runWithArticle[running]} is still running: wait for it to finish, then try again.`);
  }
}

const fileFilters: Record<FileFormat, FilePickRequest['filters']> = {
  pem: [{ name: 'PEM files', extensions: ['pem', 'crt', 'cer', 'key'] }],
  p12: [{ name: 'PKCS#12 files', extensions: ['p12', 'pfx'] }],
};

function summary(info: ObjectInfo): StoreObjectSummary {
  return info.kind === 'key'
    ? { id: info.id, name: info.name, kind: 'key', sizeBits: info.size * 8, createdAt: info.created }
    : { id: info.id, name: info.name, kind: 'secret', createdAt: info.created };
}

export function createIpcHandlers(deps: HandlerDeps): IpcHandlers {
  const { settings } = deps;
  /** the Test, Apply or Recover in progress, which 'eks:cancelRun' can stop, with its steps so far */
  let running: ActiveRun | null = null;
  /** how the last run ended, kept for a page that was not there to get its answer ('app:runState') */
  let lastFinished: FinishedRun | null = null;

  /**
   * One Test / Apply / Recover at a time; its steps go to the renderer tagged with its runId. A run belongs to
   * main, not to the page that started it: it goes on when that page reloads or its window closes, and
   * 'app:runState' and the 'runFinished' event give its steps and its end to whichever page is there.
   */
  async function exclusiveRun<K extends RunKind>(
    kind: K,
    runId: string,
    body: (onStep: (step: StepReport) => void, cancel: RunCancel, unsavedTested: (fields: FieldId[]) => void) => Promise<RunResults[K]>,
  ): Promise<RunResults[K]> {
    if (running) throw new OperationInProgressError(running.kind);
    const run: ActiveRun = { kind, runId, cancel: new RunCancel(), steps: [] };
    const startedAt = new Date().toISOString();
    running = run;
    deps.runningChanged?.(kind);
    const finish = (result: IpcResult<RunResults[K]>): void => {
      running = null;
      deps.runningChanged?.(null);
      const unsaved = run.unsavedValues ? { unsavedValues: run.unsavedValues } : {};
      // TypeScript cannot tie `result` to `kind` through the generic: it is the answer of this kind's request.
      lastFinished = { kind, runId, steps: run.steps, canceled: run.cancel.requested, result, ...unsaved } as FinishedRun;
      deps.emitRunFinished?.(lastFinished);
    };
    try {
      const value = await body(
        (step) => {
          run.steps = withStep(run.steps, step);
          deps.emitProgress({ runId, kind, step });
        },
        run.cancel,
        (fields) => {
          if (fields.length > 0) run.unsavedValues = { at: startedAt, fields };
        },
      );
      finish({ ok: true, value });
      return value;
    } catch (error) {
      // The same error the request answers with (dispatchIpc maps it alike): never an unexpected error's text.
      finish({ ok: false, error: toIpcError(error, runChannels[kind]) });
      throw error;
    }
  }

  /** What the status line shows: entropy at start until an Apply succeeds, then that Apply's entropy step. */
  let entropyStatus: Promise<EntropyStatusView> = deps.entropyAtStart.then(
    ({ status, detail }): EntropyStatusView => ({ status, detail, by: 'start', at: new Date().toISOString() }),
  );

  const unlockKeys = keychainUnlockKeys(deps.secrets);
  const storePath = storeFilePath(deps.dataDir);

  /**
   * The pending settings, refused when the settings are not those the window showed, pending and applied
   * (SETTINGS_CHANGED), or Apply could not use them (APPLY_BLOCKED, with the field).
   */
  async function pendingReadyForApply(shownRevision: string): Promise<Settings> {
    const shown = await settings.view();
    assertSettingsAsShown(shown, shownRevision, 'applied');
    await settings.assertReadyToApply(shown.pending);
    return shown.pending;
  }

  async function apply({ runId, settingsRevision }: IpcRequest<'settings:apply'>): Promise<ApplyResult> {
    return exclusiveRun('apply', runId, async (onStep, cancel) => {
      const pending = await pendingReadyForApply(settingsRevision);
      const outcome = await runApply(
        {
          dataDir: deps.dataDir,
          unlockKeys,
          connection: await settings.kmipClientOptions(pending, await settings.resolveSecrets('pending')),
          disableEntropySeed: pending.disableEntropySeed,
          appliedBefore: (await settings.loadApplied()) !== null,
          commitSettings: async () => {
            await settings.commitApply(pending);
          },
        },
        onStep,
        cancel,
      );
      const entropyStep = outcome.steps.find((step) => step.id === 'entropy');
      entropyStatus = Promise.resolve({ status: outcome.entropy, detail: entropyStep?.detail ?? '', by: 'apply', at: new Date().toISOString() });
      return {
        steps: outcome.steps,
        settings: await settings.view(),
        adminKeyGeneration: outcome.adminKeyGeneration,
        adminKeyName: outcome.adminKeyName,
        entropy: outcome.entropy,
      };
    });
  }

  /** the backup file chosen on System Recovery Options; its path never leaves main */
  let chosenBackup: string | null = null;

  async function chooseBackup(): Promise<ChooseBackupResult> {
    const file = await deps.pickFile({ title: 'Choose a backup of the object store', filters: [{ name: 'kmip-console backups', extensions: ['kcs'] }] });
    if (file === null) return { canceled: true };
    chosenBackup = null; // a file that cannot be restored does not leave an earlier choice in place
    const backup = await describeBackup(file, deps.dataDir);
    chosenBackup = file;
    return { canceled: false, backup };
  }

  function recoverySource(source: IpcRequest<'eks:recover'>['source']): RecoverySource {
    if (source === 'store') return { kind: 'store' };
    if (chosenBackup === null) {
      throw new AppError('BACKUP_NOT_CHOSEN', 'No backup file is chosen: choose one under System Recovery Options → Restore from a backup file.');
    }
    return { kind: 'backup', path: chosenBackup };
  }

  /** Recovery mode's Apply: recover the store (or restore the chosen backup) with the pending settings, then apply those settings. */
  async function recover({ runId, source, replaceStore = false, settingsRevision }: IpcRequest<'eks:recover'>): Promise<RecoverResult> {
    return exclusiveRun('recover', runId, async (onStep, cancel) => {
      const from = recoverySource(source);
      // Refused before the settings are even checked: the operator must confirm first.
      if (from.kind === 'backup') await assertRestoreAllowed(deps.dataDir, (await readRecoverableHeader(from.path, 'backup')).header.storeId, replaceStore);
      const pending = await pendingReadyForApply(settingsRevision);
      const connection = await settings.kmipClientOptions(pending, await settings.resolveSecrets('pending'));
      // Committed as the run's last step, so that the dialog shows it, and a failure of it, with the others.
      const commitSettings = async (): Promise<void> => void (await settings.commitApply(pending));
      const result = await runRecover({ dataDir: deps.dataDir, unlockKeys, connection, source: from, replaceStore, commitSettings }, onStep, cancel);
      if (from.kind === 'backup') chosenBackup = null;
      return result;
    });
  }

  const openStore = () => openDataFolderStore(storePath, unlockKeys, (size) => mixedRandom.bytes(size));
  /** Store changes from this window one at a time: two started from the same read would refuse the second as changed by "another process". */
  const storeInTurn = oneAtATime();
  /** An object store change from the window: in turn, on the store as it is now (see changeObjects). */
  const storeChange = <T>(change: (store: ObjectStore) => Promise<T>): Promise<T> => storeInTurn(() => changeObjects(openStore, change));

  return {
    'settings:get': () => settings.view(),
    'settings:saveField': ({ id, value, basedOn }) => settings.saveField(id, value, basedOn),
    'settings:loadFile': async ({ slot, format, password, basedOn }) => {
      // Said before the operator picks a file: checked again when it is loaded, the slot may change meanwhile.
      await settings.checkFieldAsShown({ kind: 'load', slot }, basedOn);
      const path = await deps.pickFile({ title: `Load ${FIELDS[slot].label} file (${format.toUpperCase()})`, filters: fileFilters[format] });
      if (path === null) return { canceled: true };
      const loaded = await settings.loadFile({ slot, format, path, ...(password !== undefined ? { password } : {}), ...(basedOn !== undefined ? { basedOn } : {}) });
      return { canceled: false, ...loaded };
    },
    'settings:clearFile': ({ slot, basedOn }) => settings.clearFile(slot, basedOn),
    'settings:clearSecret': ({ id, basedOn }) => settings.clearSecret(id, basedOn),
    'settings:apply': apply,
    'settings:revert': ({ settingsRevision }) => settings.revert(settingsRevision),
    'settings:reset': ({ settingsRevision }) => settings.reset(settingsRevision),
    'eks:test': ({ runId, values, password }) =>
      exclusiveRun('test', runId, async (onStep, cancel, unsavedTested) => {
        const saved = await settings.loadPending();
        const onScreen = withDraftValues(saved, values);
        const invalid = onScreen.issues[0];
        if (invalid) throw new SettingsError('VALIDATION_FAILED', invalid.message, { field: invalid.field });
        // For a page that shows this Test without having started it: what it ran with is not all on screen there.
        const unsaved = changedFieldIds(onScreen.settings, saved);
        unsavedTested(password.kind === 'new' ? [...unsaved.filter((id) => id !== 'password'), 'password'] : unsaved);
        const { secrets, passwordNotSent } = secretsForTest(await settings.resolveSecrets('pending'), password, saved, onScreen.settings);
        return runTest(await settings.kmipClientOptions(onScreen.settings, secrets), onStep, cancel, passwordNotSent);
      }),
    'eks:cancelRun': async ({ runId }) => ({ canceled: running?.runId === runId && running.cancel.request() }),
    'eks:recover': recover,
    'recovery:chooseBackup': chooseBackup,
    'app:runState': async () => ({
      running: running && {
        kind: running.kind,
        runId: running.runId,
        steps: running.steps,
        canceled: running.cancel.requested,
        ...(running.unsavedValues ? { unsavedValues: running.unsavedValues } : {}),
      },
      lastFinished,
    }),
    'app:leaveLosses': async (losses) => deps.pageLossesChanged?.(losses),
    'app:recoveryState': async () => recoveryState(deps.dataDir, unlockKeys, (await settings.loadApplied()) !== null),
    'app:entropyStatus': () => entropyStatus,
    'store:list': async () => (await openStore()).list().map(summary),
    'store:add': async ({ name, value }) => {
      const bytes = Buffer.from(value, 'utf8');
      try {
        return summary(await storeChange((store) => store.add({ name, kind: 'secret', value: bytes })));
      } finally {
        bytes.fill(0); // sealed by now (or refused); the plaintext copy is not left in memory
      }
    },
    'store:generate': async ({ name, sizeBits }) => summary(await storeChange((store) => store.generate({ name, size: sizeBits / 8 }))),
    'store:delete': async ({ id }) => ({ deleted: (await storeChange((store) => store.delete(id))).id }),
    'store:backup': async () => {
      const store = await openStore();
      const target = await deps.pickSaveFile({ title: 'Back up the object store', defaultName: `kmip-console-backup-${new Date().toISOString().slice(0, 10)}.kcs` });
      if (target === null) return { canceled: true };
      await store.exportBackup(target);
      return { canceled: false, fileName: target, bytes: (await stat(target)).size };
    },
  };
}
