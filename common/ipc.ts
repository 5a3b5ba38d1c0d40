// The single IPC contract between the renderer and the main process: for every channel, the
// zod schema its request is validated against (by main/electron's handler wrapper) and the type
// of the value it answers with. Every answer is an IpcResult; main → renderer events are listed
// in IpcEvents. Renderer and preload import only this file's types.
import { z } from 'zod';
import { OBJECT_NAME_MAX_CHARACTERS } from './object-name';
import { OBJECT_VALUE_MAX_BYTES } from './object-value';
import { isWellFormedText } from './text';
import { FileFormatSchema, FileSlotIdSchema, type LoadedFileDetails } from './pki-types';
import { PageLossesSchema, RunKindSchema } from './leave-question';
import { ScalarFieldIdSchema, SecretIdSchema, type FieldId, type Settings } from './settings';

// ---------------------------------------------------------------------------------------------
// Results and errors

export interface IpcError {
  /** stable machine code, e.g. VALIDATION_FAILED, SECRET_STORE_UNAVAILABLE, PKI_WRONG_PASSWORD */
  code: string;
  /** for a person: names the field or file and what to do */
  message: string;
  /** the settings field the error belongs to, for showing it next to that field */
  field?: string;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Error codes the main process answers with (others may appear; show `message`). */
export const IPC_ERROR_CODES = [
  'INVALID_REQUEST', // request failed the schema, or came from an unexpected sender
  'VALIDATION_FAILED', // a field value is wrong; `field` says which
  'APPLY_BLOCKED', // validateForApply found errors; message lists them all, `field` points at the first
  'SECRET_STORE_UNAVAILABLE', // no OS keychain (no Secret Service / D-Bus session, locked and refused)
  'SECRET_STORE_FAILED',
  'SETTINGS_CORRUPTED', // settings file unreadable; it was moved aside, message names both files
  'SETTINGS_WRITE_FAILED',
  'SETTINGS_TOO_NEW', // written by a newer kmip-console; left untouched
  'SETTINGS_BUSY', // another process is changing the same data folder
  'SETTINGS_CHANGED', // Apply, Revert, Reset or recovery named settings (settingsRevision) that were saved or applied elsewhere since: nothing was done
  'FIELD_CHANGED', // a save, load or clear named a field's revision (basedOn) that was changed elsewhere since: nothing was changed; `field` says which
  'SECRET_MISSING', // a stored secret vanished from the keychain; `field` says which to re-enter
  'STORED_FILE_MISSING', // the protected copy of a loaded file is gone; load it again
  'PKI_WRONG_PASSWORD',
  'PKI_PASSWORD_REQUIRED',
  'PKI_WRONG_FORMAT', // PEM chosen for a P12 file or the reverse
  'PKI_CORRUPTED',
  'PKI_NO_CERTIFICATE',
  'PKI_NO_PRIVATE_KEY',
  'PKI_CERT_EXPIRED',
  'PKI_CERT_NOT_YET_VALID',
  'PKI_KEY_MISMATCH',
  'PKI_FILE_TOO_LARGE',
  'PKI_UNREADABLE',
  'STORE_LOCKED',
  'BACKUP_NOT_FOUND', // the chosen backup file was moved or deleted before Recover; choose it again
  'BACKUP_DAMAGED', // the chosen backup file does not verify (truncated, modified); use another copy
  'FILE_UNWRITABLE', // a backup cannot be written where chosen (no folder, not a file, no permission, read-only disk)
  'FILE_NOT_WRITTEN', // a backup was not written: the disk is full or failed
  'BACKUP_OVER_STORE', // the file chosen for a backup is the store itself
  'OPERATION_IN_PROGRESS', // another Test / Apply / Recover is running
  'INTERNAL',
] as const;

// ---------------------------------------------------------------------------------------------
// Shared value types

/** What the dialog shows: pending and applied settings. Secrets appear only as markers. */
export interface SettingsView {
  pending: Settings;
  /** null before the first Apply */
  applied: Settings | null;
  /** path of the data folder, shown in About / diagnostics */
  dataDir: string;
  /**
   * identifies `pending` and `applied` together: Apply, Revert, Reset and recovery send it back, and are
   * refused (SETTINGS_CHANGED) when the settings were saved or applied elsewhere since
   */
  settingsRevision: string;
  /**
   * identifies each field's pending value (a file's record, a secret's marker, never a secret): a save, Load
   * File or Clear sends the field's one back as `basedOn`, and is refused (FIELD_CHANGED) when the field was
   * changed elsewhere since
   */
  fieldRevisions: Record<FieldId, string>;
}

export const STEP_STATUSES = ['pending', 'running', 'pass', 'warn', 'fail', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** One diagnostic or workflow step (Test, Apply, Recover). */
export interface StepReport {
  /** stable id, e.g. 'dns', 'tcp', 'tls', 'negotiate', 'query', 'operations', 'credentials', 'entropy', 'register' */
  id: string;
  label: string;
  status: StepStatus;
  /** elapsed time; absent while pending */
  ms?: number;
  /** what was found (TLS version and cipher, server vendor, …) or what went wrong */
  detail?: string;
  /** for warn / fail: the likely cause and what to do */
  fix?: string;
  /** for fail: the cause's stable code (e.g. CONNECT_TIMEOUT), as an IpcError would carry it */
  code?: string;
}

export interface TlsSummary {
  protocol: string;
  cipher: string;
  /** subjects, leaf first */
  serverChain: string[];
  verified: boolean;
  pinned: boolean | null;
}

export interface TestReport {
  /** false when any step failed */
  ok: boolean;
  steps: StepReport[];
  startedAt: string;
  totalMs: number;
  negotiatedVersion?: string;
  tls?: TlsSummary;
  serverVendor?: string;
}

/** The kind of a run: 'test' | 'apply' | 'recover'. */
export type RunKind = z.infer<typeof RunKindSchema>;

/** Main → renderer event on the 'progress' channel while a Test / Apply / Recover runs. */
export interface ProgressEvent {
  /** the runId the renderer passed in the request */
  runId: string;
  kind: RunKind;
  step: StepReport;
}
/** Progress of Apply specifically (same shape; named for readers of the Apply code). */
export type ApplyProgress = ProgressEvent & { kind: 'apply' };

/** Outcome of asking the key server for entropy (PRODUCT.md §3 "Entropy at start"). */
export type EntropyOutcome = 'mixed' | 'disabled' | 'unavailable' | 'no-settings' | 'failed';

/** The key server's latest contribution to the app's random generator, for the status line. */
export interface EntropyStatusView {
  status: EntropyOutcome;
  /** what happened, for a person (how many bytes were mixed, or why none were) */
  detail: string;
  /** which asked: entropy at start, or the latest successful Apply */
  by: 'start' | 'apply';
  /** ISO 8601 time of the answer */
  at: string;
}

export interface ApplyResult {
  steps: StepReport[];
  settings: SettingsView;
  adminKeyGeneration: number;
  /** KMIP Name of the registered Admin Key */
  adminKeyName: string;
  /** failed: the server offers RNG Retrieve (or could not say) but the fetch failed; Apply went on without it */
  entropy: Extract<EntropyOutcome, 'mixed' | 'disabled' | 'unavailable' | 'failed'>;
}

export interface RecoverResult {
  steps: StepReport[];
  storeId: string;
  adminKeyGeneration: number;
  objectCount: number;
}

export interface RecoveryState {
  /**
   * ok: store unlocks; no-store: no store file (a first run, unless `reason` says the store of applied
   * settings is missing); needs-recovery: store present but local unlock missing
   */
  state: 'ok' | 'no-store' | 'needs-recovery';
  /** why recovery is needed, or why a missing store is a loss, for the System Recovery Options screen */
  reason?: string;
  /**
   * needs-recovery: the store's own error code for why it does not open (LOCAL_UNLOCK_MISSING,
   * WRONG_KEY, STORE_TAMPERED, STORE_NOT_A_FILE, STORE_TOO_NEW…), for scripts that read `status --json`
   */
  cause?: string;
  /** needs-recovery: the store file itself is damaged, so recovery in place cannot help (a backup can) */
  damaged?: boolean;
  storeId?: string;
  adminKeyGeneration?: number;
}

export type LoadFileResult =
  | { canceled: true }
  | { canceled: false; details: LoadedFileDetails; settings: SettingsView };

/** An object as the store list shows it. The store keeps a key's bytes, not what they are for, so a key is known by its size. */
export type StoreObjectSummary =
  | { id: string; name: string; kind: 'key'; sizeBits: number; createdAt: string }
  | { id: string; name: string; kind: 'secret'; createdAt: string };

export type BackupResult = { canceled: true } | { canceled: false; fileName: string; bytes: number };

/** The backup file chosen for restore: main keeps its path; the renderer sees what it holds. */
export interface ChosenBackup {
  fileName: string;
  /** 'store' when the file is a copied store file rather than an exported backup */
  kind: 'backup' | 'store';
  storeId: string;
  adminKeyGeneration: number;
  adminKeyName: string;
  /** where the Admin Key was registered, as recorded in the header */
  appliedOn: string;
  objectCount: number;
  /** the store the restore would replace in the data folder, if there is one */
  replaces: StoreInDataFolder | null;
}

/** The store in a data folder, as a restore would replace it: readable, or damaged (then `problem` says how). */
export type StoreInDataFolder = { storeId: string; objectCount: number } | { damaged: true; problem: string };

export type ChooseBackupResult = { canceled: true } | { canceled: false; backup: ChosenBackup };

/** What each kind of run answers with when it ends. */
export interface RunResults {
  test: TestReport;
  apply: ApplyResult;
  recover: RecoverResult;
}

/**
 * A Test run with values on screen that were not saved: a page loaded after it started (a reload, a reopened
 * window) shows the saved values instead, and must say that the result is about others.
 */
export interface UnsavedValuesTested {
  /** ISO 8601 time the Test started */
  at: string;
  /** the fields whose value on screen was not the saved one ('password': a password typed, not saved) */
  fields: FieldId[];
}

/** A Test / Apply / Recover still running in main, as a page loaded after it started shows it. */
export interface RunInProgress {
  kind: RunKind;
  runId: string;
  /** every step reported so far, in order */
  steps: StepReport[];
  /** a cancel was asked for and accepted: the run stops at its current step */
  canceled: boolean;
  /** a Test only, when it ran with unsaved values */
  unsavedValues?: UnsavedValuesTested;
}

/**
 * A run that ended: the answer its own request got, for the page that may not have been there to get it
 * (the window reloaded, or was closed and reopened, while it ran). Also the 'runFinished' event.
 */
export type FinishedRun = {
  [K in RunKind]: {
    kind: K;
    runId: string;
    /** every step reported, in order: for a run that failed, up to the failed one */
    steps: StepReport[];
    canceled: boolean;
    result: IpcResult<RunResults[K]>;
    /** a Test only, when it ran with unsaved values */
    unsavedValues?: UnsavedValuesTested;
  };
}[RunKind];

/** 'app:runState': what main runs now, and how its last run ended (since kmip-console started). */
export interface RunStateView {
  running: RunInProgress | null;
  lastFinished: FinishedRun | null;
}

// ---------------------------------------------------------------------------------------------
// Request schemas

const RunIdSchema = z.string().min(1).max(64);

/** A secret in a Test request: typed now in the dialog, the stored one, or none. */
export const SecretInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('new'), value: z.string().min(1).max(1024).refine(isWellFormedText) }).strict(),
  z.object({ kind: z.literal('stored') }).strict(),
  z.object({ kind: z.literal('none') }).strict(),
]);
export type SecretInput = z.infer<typeof SecretInputSchema>;

/** Scalar values as they are on screen (saved or not); main validates each with validateField. */
const FieldValueSchema = z.union([z.string().max(4096), z.number(), z.boolean()]);
export const DraftValuesSchema = z.partialRecord(ScalarFieldIdSchema.exclude(['password']), FieldValueSchema);
export type DraftValues = z.infer<typeof DraftValuesSchema>;

const Empty = z.object({}).strict();
/** A revision as main makes them (main/settings/revisions.ts fingerprint): 22 characters of base64url. */
export const RevisionSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
/** SettingsView.settingsRevision, as the window showed it */
const SettingsRevisionSchema = RevisionSchema;
/** SettingsView.fieldRevisions of the field acted on, as the window showed it; absent: not checked (the last change wins) */
const BasedOnSchema = RevisionSchema.optional();

export const ipcRequestSchemas = {
  'settings:get': Empty,
  /** Save one field: validate → persist into pending (password → keychain). */
  'settings:saveField': z.object({ id: ScalarFieldIdSchema, value: FieldValueSchema, basedOn: BasedOnSchema }).strict(),
  /** Main opens the native file picker, parses and checks the file, copies it, stores its password. */
  'settings:loadFile': z
    .object({ slot: FileSlotIdSchema, format: FileFormatSchema, password: z.string().min(1).max(1024).refine(isWellFormedText).optional(), basedOn: BasedOnSchema })
    .strict(),
  'settings:clearFile': z.object({ slot: FileSlotIdSchema, basedOn: BasedOnSchema }).strict(),
  /** basedOn: the revision of the field holding the secret (Password, or the file slot of a file's password) */
  'settings:clearSecret': z.object({ id: SecretIdSchema, basedOn: BasedOnSchema }).strict(),
  /** Runs the Apply workflow; progress on the 'progress' event channel with this runId. */
  'settings:apply': z.object({ runId: RunIdSchema, settingsRevision: SettingsRevisionSchema }).strict(),
  /** Revert and Reset name the pending settings the window showed (SettingsView.settingsRevision), as Apply does. */
  'settings:revert': z.object({ settingsRevision: SettingsRevisionSchema }).strict(),
  'settings:reset': z.object({ settingsRevision: SettingsRevisionSchema }).strict(),
  /** Test on what is on screen, without persisting. Files: the pending (loaded) ones. */
  'eks:test': z.object({ runId: RunIdSchema, values: DraftValuesSchema, password: SecretInputSchema }).strict(),
  /**
   * Stops the Test, Apply or Recover running as runId at its current step. A Test stops anywhere;
   * Apply and Recover only until they start writing the store (their point of no return).
   */
  'eks:cancelRun': z.object({ runId: RunIdSchema }).strict(),
  /**
   * Recovery from External Key Server with the pending settings: of the store in the data folder, or
   * of the backup chosen with 'recovery:chooseBackup'. Restoring over a store in the data folder
   * needs replaceStore (the operator confirmed it).
   */
  'eks:recover': z
    .object({ runId: RunIdSchema, source: z.enum(['store', 'backup']), replaceStore: z.boolean().optional(), settingsRevision: SettingsRevisionSchema })
    .strict(),
  /** Main opens the native file picker and reads the chosen backup's header; the path stays in main. */
  'recovery:chooseBackup': Empty,
  'app:recoveryState': Empty,
  /** The run in progress and the last finished one, for a page loaded while a run went on (reload, reopened window). */
  'app:runState': Empty,
  /**
   * What leaving the page now would lose, sent whenever it changes, for the question main asks before the
   * window closes or reloads. Names only (fields, forms, the run's kind): main words the question itself.
   */
  'app:leaveLosses': PageLossesSchema,
  /** Answers once entropy at start has ended (bounded by Timeout, unless Timeout is 0), then at once. */
  'app:entropyStatus': Empty,
  'store:list': Empty,
  // Names: a size guard only; the store checks a name in characters and says what is wrong with it.
  // A value with a lone surrogate has no UTF-8 form: stored, it would silently differ from what was typed.
  // UTF-16 length is at most the UTF-8 byte count: a first bound; the store checks the bytes.
  'store:add': z.object({ name: z.string().min(1).max(4 * OBJECT_NAME_MAX_CHARACTERS), value: z.string().min(1).max(OBJECT_VALUE_MAX_BYTES).refine(isWellFormedText) }).strict(),
  'store:generate': z
    .object({ name: z.string().min(1).max(4 * OBJECT_NAME_MAX_CHARACTERS), algorithm: z.literal('AES'), sizeBits: z.union([z.literal(128), z.literal(192), z.literal(256)]) })
    .strict(),
  'store:delete': z.object({ id: z.string().min(1).max(128) }).strict(),
  /** Main opens a save dialog and writes a backup file. */
  'store:backup': Empty,
} as const;

export type IpcChannel = keyof typeof ipcRequestSchemas;
export const IPC_CHANNELS = Object.keys(ipcRequestSchemas) as IpcChannel[];

export interface IpcResponses {
  'settings:get': SettingsView;
  'settings:saveField': SettingsView;
  'settings:loadFile': LoadFileResult;
  'settings:clearFile': SettingsView;
  'settings:clearSecret': SettingsView;
  'settings:apply': ApplyResult;
  'settings:revert': SettingsView;
  'settings:reset': SettingsView;
  'eks:test': TestReport;
  /**
   * true when the run stops (its last step fails as TEST_CANCELED, APPLY_CANCELED or RECOVER_CANCELED);
   * false when no run with that runId is running any more, or it is past its point of no return
   */
  'eks:cancelRun': { canceled: boolean };
  'eks:recover': RecoverResult;
  'recovery:chooseBackup': ChooseBackupResult;
  'app:recoveryState': RecoveryState;
  'app:runState': RunStateView;
  'app:leaveLosses': void;
  'app:entropyStatus': EntropyStatusView;
  'store:list': StoreObjectSummary[];
  'store:add': StoreObjectSummary;
  'store:generate': StoreObjectSummary;
  'store:delete': { deleted: string };
  'store:backup': BackupResult;
}

export type IpcRequest<C extends IpcChannel> = z.infer<(typeof ipcRequestSchemas)[C]>;
// Indexing fails to compile if a channel lacks a response type.
export type IpcResponse<C extends IpcChannel> = IpcResponses[C];

/** Main → renderer events. */
export interface IpcEvents {
  progress: ProgressEvent;
  /** a Test / Apply / Recover ended (whichever page started it) */
  runFinished: FinishedRun;
}
export type IpcEventChannel = keyof IpcEvents;

/** The one object the preload exposes (window.kmip). */
export interface RendererApi {
  invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>>;
  /** returns a function that removes the listener */
  on<E extends IpcEventChannel>(event: E, listener: (payload: IpcEvents[E]) => void): () => void;
}
