// Pending and applied settings of one EKS profile (PRODUCT.md §2–§3): Save one field, Load File,
// Clear, Import, Apply (commitApply), Revert, Reset. Secrets go to the SecretStore under
// <profile>/<pending|applied>[-<revision>]/<secretId>; the settings file holds only markers and
// the current revision of each stage. Every operation either completes or leaves the settings
// file, the keychain entries and the stored files as they were. Operations that replace a whole
// stage's secrets (Apply, Revert, Reset, an import that changes a secret) stay consistent even if
// the process is killed midway: see switchStageSecrets. Operations are serialised: IPC calls may
// arrive concurrently.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { AppError } from '../../common/app-error';
import type { SettingsView } from '../../common/ipc';
import { FILE_SLOT_IDS, MAX_CREDENTIAL_FILE_BYTES, type FileFormat, type FileSlotId, type LoadedFileDetails } from '../../common/pki-types';
import {
  FIELDS,
  NO_SECRET,
  changedFieldIds,
  sameFieldValue,
  SCALAR_FIELD_IDS,
  SECRET_IDS,
  defaultSettings,
  filePasswordSecretId,
  fileSlotOfSecret,
  validateField,
  validateForApply,
  type ApplyCheck,
  type ScalarFieldId,
  type SecretId,
  type SecretMarker,
  type Settings,
  type StoredFile,
} from '../../common/settings';
import type { KmipClientOptions } from '../kmip';
import { PkiError, loadCredentialFile, parseCredentialFile } from '../pki';
import { secretAccount, type SecretStage, type SecretStore } from '../secrets';
import { oneAtATime } from '../files';
import { KEY_BYTES } from '../store';
import { assertCipherListUsable } from './ciphers';
import {
  copyNeedsSealing,
  credentialFileName,
  filesDir,
  readStoredCredentialFile,
  removeStoredCopies,
  removeUnreferencedFiles,
  storeCredentialFile,
} from './credential-files';
import { atSlot, SettingsError } from './errors';
import { PAIRED_SLOT, endEntityCount, isKeySlot, pairedKeyOf } from './paired-slots';
import { withFolderLock } from './folder-lock';
import { toKmipClientOptions } from './kmip-options';
import { assertSettingsAsShown, settingsRevision } from './revisions';
import { assertFieldAsShown, fieldRevisions, type FieldChange } from './field-revision';
import { readSettingsDocument, writeSettingsDocument, type SettingsDocument } from './settings-file';

export type SecretValues = Partial<Record<SecretId, string>>;

/** Points where a crash test may stop a switch of a stage's secrets (see the pauseAt option). */
export const SECRET_SWITCH_PAUSE_POINTS = [
  /** the next revision's keychain entries are written; the settings file still names the old one */
  'secrets-staged',
  /** the settings file names the new revision; the old revision's entries are not removed yet */
  'settings-switched',
] as const;
export type SecretSwitchPausePoint = (typeof SECRET_SWITCH_PAUSE_POINTS)[number];

export interface SettingsRepositoryOptions {
  dataDir: string;
  secrets: SecretStore;
  /**
   * Prefix of the keychain accounts. Default: the settings file's keychainId, unique per data
   * folder. Set it only to share entries on purpose (tests that inspect the keychain).
   */
  profile?: string;
  /** audit lines (field names and non-secret values only) */
  log?: (line: string) => void;
  now?: () => Date;
  /** test hook: awaited at each point of Apply, Revert, Reset and an import that changes a secret, so a crash test can kill the process there */
  pauseAt?: (point: SecretSwitchPausePoint) => Promise<void>;
}

export interface LoadFileInput {
  slot: FileSlotId;
  format: FileFormat;
  path: string;
  password?: string;
  /** the slot's revision the window showed (see field-revision.ts); absent: no check */
  basedOn?: string;
}

/** A certificate/key file of an import: its bytes, as Load File would read them from a file named `sourceName`. */
export interface ImportedFile {
  format: FileFormat;
  bytes: Buffer;
  /** a plain file name, without folders */
  sourceName: string;
  password?: string;
}

/** What an import sets in the pending settings; fields and slots it leaves out stay as they are. */
export interface SettingsImport {
  /** values as Save takes them; the KMIP password among them when it is imported */
  fields: Partial<Record<ScalarFieldId, unknown>>;
  files: Partial<Record<FileSlotId, ImportedFile>>;
}

export interface ImportResult {
  settings: SettingsView;
  /** what was loaded for each imported file, with its warnings */
  files: Partial<Record<FileSlotId, LoadedFileDetails>>;
}

/** Runs the parse of a file for `slot`; a PkiError it throws names the slot as its field. */
async function parsedForSlot<T>(slot: FileSlotId, parse: () => T | Promise<T>): Promise<T> {
  try {
    return await parse();
  } catch (error) {
    throw atSlot(error, slot);
  }
}

export function secretMarker(settings: Settings, id: SecretId): SecretMarker {
  if (id === 'password') return settings.password;
  const slot = fileSlotOfSecret(id);
  return (slot && settings[slot]?.password) || NO_SECRET;
}

function revisionOf(doc: SettingsDocument, stage: SecretStage): number {
  return stage === 'pending' ? doc.pendingRevision : doc.appliedRevision;
}

function referencedFiles(doc: SettingsDocument): Set<string> {
  const names = new Set<string>();
  for (const settings of [doc.pending, doc.applied]) {
    for (const slot of FILE_SLOT_IDS) {
      const file = settings?.[slot];
      if (file) names.add(file.fileName);
    }
  }
  return names;
}

export class SettingsRepository {
  readonly dataDir: string;
  private readonly profile: string | undefined;
  private readonly secrets: SecretStore;
  private readonly log: (line: string) => void;
  private readonly now: () => Date;
  private readonly pause: (point: SecretSwitchPausePoint) => Promise<void>;
  /** IPC calls may overlap: reads and changes run one at a time in this process */
  private readonly exclusive = oneAtATime();

  constructor(options: SettingsRepositoryOptions) {
    this.dataDir = options.dataDir;
    this.profile = options.profile;
    this.secrets = options.secrets;
    this.log = options.log ?? (() => {});
    this.now = options.now ?? (() => new Date());
    this.pause = options.pauseAt ?? (async () => undefined);
    if (this.profile !== undefined) secretAccount(this.profile, 'pending', 'password'); // validates the name early
  }


  /** A change: serialised in this process and, through the folder lock, with other processes. */
  private mutation<T>(operation: () => Promise<T>): Promise<T> {
    return this.exclusive(() => withFolderLock(this.dataDir, operation));
  }

  private filesKeyAccount(doc: SettingsDocument): string {
    return `${this.profile ?? doc.keychainId}/files-key`;
  }

  /** The key that seals this profile's stored file copies, from the OS keychain; null when there is none. */
  private async filesKey(doc: SettingsDocument): Promise<Buffer | null> {
    const stored = await this.secrets.get(this.filesKeyAccount(doc));
    return stored === null ? null : Buffer.from(stored, 'base64');
  }

  /**
   * The files key, created (and kept in the OS keychain) at the first Load File of a file with a
   * secret; `created` says whether this call created it.
   */
  private async filesKeyForWriting(doc: SettingsDocument): Promise<{ key: Buffer; created: boolean }> {
    const existing = await this.filesKey(doc);
    if (existing) return { key: existing, created: false };
    const key = randomBytes(KEY_BYTES);
    await this.secrets.set(this.filesKeyAccount(doc), key.toString('base64'));
    return { key, created: true };
  }

  /** The entry of `id` in the stage's current revision, or in `revision` when given. */
  private account(doc: SettingsDocument, stage: SecretStage, id: SecretId, revision: number = revisionOf(doc, stage)): string {
    return secretAccount(this.profile ?? doc.keychainId, stage, id, revision);
  }

  private read(): Promise<SettingsDocument> {
    return readSettingsDocument(this.dataDir, this.now);
  }

  private toView(doc: SettingsDocument): SettingsView {
    return {
      pending: doc.pending,
      applied: doc.applied,
      dataDir: this.dataDir,
      settingsRevision: settingsRevision(doc.pending, doc.applied),
      fieldRevisions: fieldRevisions(doc.pending),
    };
  }

  /**
   * Sets (string) or deletes (null) keychain entries, runs `persist`, and puts the entries back
   * as they were if any step fails.
   */
  private async withSecretChanges<T>(changes: ReadonlyArray<[account: string, value: string | null]>, persist: () => Promise<T>): Promise<T> {
    const previous: Array<[string, string | null]> = [];
    try {
      for (const [account, value] of changes) {
        previous.push([account, await this.secrets.get(account)]);
        if (value === null) await this.secrets.delete(account);
        else await this.secrets.set(account, value);
      }
      return await persist();
    } catch (error) {
      const notRestored: string[] = [];
      for (const [account, value] of previous.reverse()) {
        try {
          if (value === null) await this.secrets.delete(account);
          else await this.secrets.set(account, value);
        } catch {
          notRestored.push(account);
        }
      }
      // The original error is the one to report; it also says which entries keep the new value.
      if (notRestored.length === 0 || !(error instanceof AppError)) throw error;
      const entries = notRestored.map((account) => `"${account}"`).join(', ');
      throw new AppError(
        error.code,
        `${error.message} The OS keychain entry ${entries} could not be put back and holds the new value, while the settings still show the old one: save the password (or load the file) again.`,
        { ...(error.field !== undefined ? { field: error.field } : {}), cause: error },
      );
    }
  }

  private async writeAndCollect(doc: SettingsDocument): Promise<void> {
    await writeSettingsDocument(this.dataDir, doc);
    await removeUnreferencedFiles(this.dataDir, referencedFiles(doc));
  }

  /**
   * Replaces every secret of `stage` by `values` and writes `next` (the document after the
   * change); returns what was written. Crash-safe: the values go to the entries of revision n+1
   * while the settings file still names revision n; one atomic write of the file switches to n+1;
   * only then are the entries of revision n removed. Killed before the switch, the old settings
   * and entries stay current (the unused n+1 entries are overwritten by the next switch); killed
   * after it, the new ones (the n entries left behind are removed before the next switch).
   */
  private async switchStageSecrets(doc: SettingsDocument, stage: SecretStage, values: SecretValues, next: SettingsDocument): Promise<SettingsDocument> {
    const current = revisionOf(doc, stage);
    const revision = current + 1;
    if (current > 0) await this.removeRevision(doc, stage, current - 1);
    const changes = SECRET_IDS.map((id): [string, string | null] => [this.account(doc, stage, id, revision), values[id] ?? null]);
    const switched: SettingsDocument = stage === 'pending' ? { ...next, pendingRevision: revision } : { ...next, appliedRevision: revision };
    await this.withSecretChanges(changes, async () => {
      await this.pause('secrets-staged');
      await this.writeAndCollect(switched);
    });
    await this.pause('settings-switched');
    await this.removeRevision(doc, stage, current);
    return switched;
  }

  /** Best effort: entries of a revision the settings file no longer names are never read. */
  private async removeRevision(doc: SettingsDocument, stage: SecretStage, revision: number): Promise<void> {
    try {
      for (const id of SECRET_IDS) await this.secrets.delete(this.account(doc, stage, id, revision));
    } catch {
      this.log(`Could not remove old ${stage} keychain entries (revision ${revision}); they are removed at the next change of the ${stage} settings`);
    }
  }

  view(): Promise<SettingsView> {
    return this.exclusive(async () => this.toView(await this.read()));
  }

  loadPending(): Promise<Settings> {
    return this.exclusive(async () => (await this.read()).pending);
  }

  loadApplied(): Promise<Settings | null> {
    return this.exclusive(async () => (await this.read()).applied);
  }

  /** `value` of field `id` as Save stores it (normalised), or VALIDATION_FAILED naming the field. */
  private async checkedFieldValue(id: ScalarFieldId, value: unknown): Promise<unknown> {
    const check = validateField(id, value);
    if (!check.ok) throw new SettingsError('VALIDATION_FAILED', check.message, { field: id });
    if (id === 'ciphers') await assertCipherListUsable(check.value as string);
    return check.value;
  }

  /**
   * Refused (FIELD_CHANGED) when the field `change` acts on is no longer at revision `basedOn`, as a save,
   * load or clear from a window that showed it is; for Load File, checked before the file picker opens.
   */
  checkFieldAsShown(change: FieldChange, basedOn: string | undefined): Promise<void> {
    return this.exclusive(async () => assertFieldAsShown((await this.read()).pending, change, basedOn));
  }

  /**
   * Save (PRODUCT.md §3): validate one field, then persist it into the pending settings. `basedOn`: the
   * field's revision the window showed (see field-revision.ts); a save of the value the field holds now is
   * never refused. Absent (a kmip-console command): the last save wins.
   */
  saveField(id: ScalarFieldId, value: unknown, basedOn?: string): Promise<SettingsView> {
    return this.mutation(async () => {
      const checked = await this.checkedFieldValue(id, value);
      const doc = await this.read();
      if (id === 'password' || !sameFieldValue(id, doc.pending[id], checked as Settings[typeof id])) assertFieldAsShown(doc.pending, { kind: 'save', id }, basedOn);
      if (id === 'password') {
        const marker = { stored: true, savedAt: this.now().toISOString() };
        await this.withSecretChanges([[this.account(doc, 'pending', 'password'), checked as string]], async () => {
          doc.pending.password = marker;
          await writeSettingsDocument(this.dataDir, doc);
        });
        this.log('Saved Password (stored in the keychain)');
      } else {
        (doc.pending as Record<ScalarFieldId, unknown>)[id] = checked;
        await writeSettingsDocument(this.dataDir, doc);
        this.log(`Saved ${FIELDS[id].label} = ${JSON.stringify(checked)}`);
      }
      return this.toView(doc);
    });
  }

  /** Load File: parse and check, copy into the data folder, store the password, set the pending slot. */
  loadFile(input: LoadFileInput): Promise<{ details: LoadedFileDetails; settings: SettingsView }> {
    return this.mutation(async () => {
      const { slot } = input;
      const doc = await this.read();
      assertFieldAsShown(doc.pending, { kind: 'load', slot }, input.basedOn);
      // A key already loaded under Key picks the leaf of a Cert file; a key loaded now, that of the Cert file loaded before it.
      const loaded = await parsedForSlot(slot, () => loadCredentialFile({ ...input, now: this.now(), pairedKey: pairedKeyOf(slot, doc.pending) }));
      const pendingBefore = await this.withLeafForKey(doc, doc.pending, slot, loaded.details);
      const details = this.checkAgainstPairedSlot(slot, loaded.details, pendingBefore);
      const loadedAt = this.now().toISOString();
      const password: SecretMarker = details.encrypted ? { stored: true, savedAt: loadedAt } : { ...NO_SECRET };
      const secretValue = details.encrypted && input.password ? input.password : null;
      let onDisk = doc;
      await this.withSecretChanges(this.filePasswordChange(doc, slot, secretValue), async () => {
        try {
          const sealingKey = copyNeedsSealing(input.format, details, loaded.bytes) ? (await this.filesKeyForWriting(doc)).key : null;
          const fileName = await storeCredentialFile(this.dataDir, slot, input.format, loaded.bytes, sealingKey);
          const stored: StoredFile = { fileName, format: input.format, loadedAt, password, details };
          const next: SettingsDocument = { ...doc, pending: { ...pendingBefore, [slot]: stored } };
          await writeSettingsDocument(this.dataDir, next);
          onDisk = next;
        } finally {
          // Keep exactly the copies the settings file on disk refers to (the new one only if written).
          await removeUnreferencedFiles(this.dataDir, referencedFiles(onDisk));
        }
      });
      this.log(`Loaded ${FIELDS[slot].label} from ${details.sourceName} (${input.format.toUpperCase()})`);
      return { details, settings: this.toView(onDisk) };
    });
  }

  /**
   * `pending` with the certificate file that the key for `slot` (Key or Server Key) pairs with read
   * again with `key` (null: the key was cleared), so that its leaf is the certificate TLS will send:
   * the one holding the key, else the file's first end-entity certificate. Only a file with several
   * end-entity certificates can change; otherwise, or when its leaf is already that, `pending` as it is.
   * A re-read that picks the same leaf also leaves the record as it is: its warnings depend on the day it
   * was read ("expires in N days"), and a record that differs only there would read as a change to apply.
   */
  private async withLeafForKey(doc: SettingsDocument, pending: Settings, slot: FileSlotId, key: LoadedFileDetails | null): Promise<Settings> {
    const certSlot = isKeySlot(slot) ? PAIRED_SLOT[slot] : undefined;
    const cert = certSlot ? pending[certSlot] : null;
    const keySha256 = key?.privateKey?.publicKeySha256;
    const endEntities = cert ? endEntityCount(cert.details) : 0;
    if (!certSlot || !cert || endEntities < 2 || (keySha256 !== undefined && cert.details.certificates[0]?.publicKeySha256 === keySha256)) return pending;
    const bytes = await this.readStoredFile(cert, certSlot);
    const password = cert.password.stored ? await this.secrets.get(this.account(doc, 'pending', filePasswordSecretId(certSlot))) : null;
    const { format, details: { sourceName } } = cert;
    const { details } = await parsedForSlot(slot, () =>
      parseCredentialFile({ slot: certSlot, format, bytes, sourceName, now: this.now(), pairedKey: key, ...(password !== null ? { password } : {}) }),
    );
    if (details.certificates[0]?.sha256Fingerprint === cert.details.certificates[0]?.sha256Fingerprint) return pending;
    return { ...pending, [certSlot]: { ...cert, details } };
  }

  /**
   * The keychain change for the pending password of `slot`: set `value`, or delete the entry. No
   * deletion when the slot has no stored password, so that a file without one needs no keychain.
   */
  private filePasswordChange(doc: SettingsDocument, slot: FileSlotId, value: string | null): Array<[string, string | null]> {
    if (value === null && !doc.pending[slot]?.password.stored) return [];
    return [[this.account(doc, 'pending', filePasswordSecretId(slot)), value]];
  }

  /**
   * Import: every field and file of `input` into the pending settings, or none of them. First
   * everything is checked, and the first problem thrown (VALIDATION_FAILED or PKI_…, naming its
   * field) before anything is written. Then the copies of the files are written, then (when a
   * secret changes) the keychain entries of the next pending revision, as for Revert, and last the
   * settings file, in one atomic write that makes it all current. Until that write the settings
   * file and the keychain entries it names are untouched, so a failure (or a kill) before it
   * changes nothing anyone reads; after a failure the copies and the files key written for the
   * import are removed again, and the error says so, or names what could not be removed.
   */
  importSettings(input: SettingsImport): Promise<ImportResult> {
    return this.mutation(async () => {
      const doc = await this.read();
      const loadedAt = this.now().toISOString();
      let pending = structuredClone(doc.pending);
      /** the new values of the secrets the import replaces (absent: replaced by none) */
      const replaced = new Map<SecretId, string | undefined>();
      for (const id of SCALAR_FIELD_IDS) {
        if (input.fields[id] === undefined) continue;
        const checked = await this.checkedFieldValue(id, input.fields[id]);
        if (id === 'password') {
          pending.password = { stored: true, savedAt: loadedAt };
          replaced.set('password', checked as string);
        } else {
          (pending as Record<ScalarFieldId, unknown>)[id] = checked;
        }
      }
      // Keys are read first: the key imported under Key (else the one loaded there) picks the leaf of a Cert file.
      const parsed: Partial<Record<FileSlotId, LoadedFileDetails>> = {};
      for (const slot of [...FILE_SLOT_IDS].sort((a, b) => Number(isKeySlot(b)) - Number(isKeySlot(a)))) {
        const file = input.files[slot];
        if (!file) continue;
        const { format, bytes, sourceName } = file;
        if (bytes.length > MAX_CREDENTIAL_FILE_BYTES) {
          // The cap Load File applies when it reads a file.
          throw new PkiError(
            'PKI_FILE_TOO_LARGE',
            `"${sourceName}" is ${bytes.length} bytes; a certificate or key file is at most ${MAX_CREDENTIAL_FILE_BYTES} bytes. Check that it is the right file.`,
            { field: slot },
          );
        }
        const pairedKey = pairedKeyOf(slot, pending, parsed);
        const { details } = await parsedForSlot(slot, () =>
          parseCredentialFile({ slot, format, bytes, sourceName, now: this.now(), pairedKey, ...(file.password ? { password: file.password } : {}) }),
        );
        parsed[slot] = details;
      }
      const copies: Array<{ slot: FileSlotId; file: ImportedFile; details: LoadedFileDetails }> = [];
      for (const slot of FILE_SLOT_IDS) {
        const file = input.files[slot];
        const fileDetails = parsed[slot];
        if (!file || !fileDetails) continue;
        const { format, bytes } = file;
        // A key imported without its certificate picks the leaf of the certificate file loaded before.
        if (isKeySlot(slot) && !input.files[PAIRED_SLOT[slot] as FileSlotId]) pending = await this.withLeafForKey(doc, pending, slot, fileDetails);
        // Checked against the pending settings as the import leaves them: a key against a certificate imported with it.
        const details = this.checkAgainstPairedSlot(slot, fileDetails, pending);
        const password: SecretMarker = details.encrypted ? { stored: true, savedAt: loadedAt } : { ...NO_SECRET };
        pending[slot] = { fileName: credentialFileName(slot, format, bytes), format, loadedAt, password, details };
        replaced.set(filePasswordSecretId(slot), details.encrypted ? file.password : undefined);
        copies.push({ slot, file, details });
      }
      const next: SettingsDocument = { ...doc, pending };
      const secretsChange = [...replaced].some(([id, value]) => value !== undefined || secretMarker(doc.pending, id).stored);

      const written: string[] = [];
      let createdFilesKey = false;
      let saved: SettingsDocument;
      try {
        for (const { slot, file, details } of copies) {
          let sealingKey: Buffer | null = null;
          if (copyNeedsSealing(file.format, details, file.bytes)) {
            const { key, created } = await this.filesKeyForWriting(doc);
            sealingKey = key;
            createdFilesKey ||= created;
          }
          written.push(await storeCredentialFile(this.dataDir, slot, file.format, file.bytes, sealingKey));
        }
        if (secretsChange) {
          saved = await this.switchStageSecrets(doc, 'pending', await this.pendingSecretsAfter(doc, replaced), next);
        } else {
          // No keychain entry changes: an import of fields and certificates needs no keychain.
          await this.writeAndCollect(next);
          saved = next;
        }
      } catch (error) {
        throw await this.undoImport(error, doc, written, createdFilesKey);
      }
      const imported = [...SCALAR_FIELD_IDS.filter((id) => input.fields[id] !== undefined), ...copies.map(({ slot }) => slot)];
      this.log(`Imported ${imported.map((id) => FIELDS[id].label).join(', ') || 'nothing'} into the pending settings`);
      return { settings: this.toView(saved), files: Object.fromEntries(copies.map(({ slot, details }) => [slot, details])) };
    });
  }

  /**
   * Every pending secret once `replaced` replaces some: the others are read from the keychain as
   * they are (one already missing there stays missing).
   */
  private async pendingSecretsAfter(doc: SettingsDocument, replaced: ReadonlyMap<SecretId, string | undefined>): Promise<SecretValues> {
    const values: SecretValues = {};
    for (const id of SECRET_IDS) {
      let value: string | null | undefined = replaced.get(id);
      if (!replaced.has(id) && secretMarker(doc.pending, id).stored) value = await this.secrets.get(this.account(doc, 'pending', id));
      if (typeof value === 'string') values[id] = value;
    }
    return values;
  }

  /**
   * After a failed import (the settings file still the one in `doc`): removes the copies it wrote
   * that `doc` does not name, and the files key if it created it. Returns the error to throw: an
   * AppError keeps its code and field, and its message says that nothing was imported and names
   * what could not be removed; any other error (a bug) is returned as it is.
   */
  private async undoImport(error: unknown, doc: SettingsDocument, written: readonly string[], createdFilesKey: boolean): Promise<unknown> {
    const keep = referencedFiles(doc);
    const copiesLeft = await removeStoredCopies(this.dataDir, written.filter((name) => !keep.has(name)));
    let filesKeyLeft = false;
    if (createdFilesKey) {
      try {
        await this.secrets.delete(this.filesKeyAccount(doc));
      } catch {
        filesKeyLeft = true;
      }
    }
    if (!(error instanceof AppError)) return error;
    const left: string[] = [];
    if (copiesLeft.length > 0) {
      const [copies, them] = copiesLeft.length === 1 ? ['copy', 'it'] : ['copies', 'them'];
      const paths = copiesLeft.map((name) => path.join(filesDir(this.dataDir), name)).join(', ');
      left.push(`the stored ${copies} it wrote (${paths}) could not be removed (no settings use ${them}): delete ${them}, or the next change of the settings removes ${them}`);
    }
    if (filesKeyLeft) {
      left.push(
        `the key for stored copies it created in the OS keychain (entry "${this.filesKeyAccount(doc)}") could not be removed: ` +
          'no stored copy uses it, and the next file loaded with a private key uses it',
      );
    }
    const outcome =
      left.length === 0
        ? 'Nothing was imported: the pending settings, their keychain entries and the stored copies are as they were.'
        : `Nothing was imported: the pending settings and their keychain entries are as they were, but ${left.join('; and ')}.`;
    return new AppError(error.code, `${error.message} ${outcome}`, { ...(error.field !== undefined ? { field: error.field } : {}), cause: error });
  }

  /** A key must match the certificate already loaded; a new certificate only warns about an old key. */
  private checkAgainstPairedSlot(slot: FileSlotId, details: LoadedFileDetails, pending: Settings): LoadedFileDetails {
    const pairedSlot = PAIRED_SLOT[slot];
    const paired = pairedSlot ? pending[pairedSlot] : null;
    if (!pairedSlot || !paired) return details;
    const key = isKeySlot(slot) ? details.privateKey : paired.details.privateKey;
    const cert = isKeySlot(slot) ? paired.details.certificates[0] : details.certificates[0];
    if (!key || !cert || key.publicKeySha256 === cert.publicKeySha256) return details;
    if (isKeySlot(slot)) {
      throw new PkiError(
        'PKI_KEY_MISMATCH',
        `The key in "${details.sourceName}" does not belong to the certificate loaded under ${FIELDS[pairedSlot].label} ("${cert.subject}"): ` +
          'load the key issued with that certificate, or load the matching certificate first.',
        { field: slot },
      );
    }
    return {
      ...details,
      warnings: [
        ...details.warnings,
        {
          code: 'KEY_MISMATCH',
          message: `The key loaded under ${FIELDS[pairedSlot].label} does not belong to this certificate: load the matching key there.`,
        },
      ],
    };
  }

  /** Clear of a file slot; `basedOn` as for saveField (clearing a slot that is empty now is never refused). */
  clearFile(slot: FileSlotId, basedOn?: string): Promise<SettingsView> {
    return this.mutation(async () => {
      const doc = await this.read();
      if (doc.pending[slot]) assertFieldAsShown(doc.pending, { kind: 'clearFile', slot }, basedOn);
      // A Key cleared: the Cert file's leaf is no longer chosen by it (as TLS will no longer be given it).
      const pending = await this.withLeafForKey(doc, { ...doc.pending, [slot]: null }, slot, null);
      const next: SettingsDocument = { ...doc, pending };
      await this.withSecretChanges(this.filePasswordChange(doc, slot, null), async () => {
        await this.writeAndCollect(next);
      });
      this.log(`Cleared ${FIELDS[slot].label}`);
      return this.toView(next);
    });
  }

  /** Clear of a stored password; `basedOn` as for saveField, of the field holding it (a file slot for a file's password). */
  clearSecret(id: SecretId, basedOn?: string): Promise<SettingsView> {
    return this.mutation(async () => {
      const doc = await this.read();
      if (secretMarker(doc.pending, id).stored) assertFieldAsShown(doc.pending, { kind: 'clearSecret', id }, basedOn);
      await this.withSecretChanges([[this.account(doc, 'pending', id), null]], async () => {
        const slot = fileSlotOfSecret(id);
        if (id === 'password') doc.pending.password = { ...NO_SECRET };
        else if (slot && doc.pending[slot]) doc.pending[slot] = { ...doc.pending[slot], password: { ...NO_SECRET } };
        await writeSettingsDocument(this.dataDir, doc);
      });
      this.log(`Cleared secret ${id}`);
      return this.toView(doc);
    });
  }

  /** The secrets of pending or applied settings, for the KMIP client. Main process only. */
  resolveSecrets(stage: SecretStage): Promise<SecretValues> {
    return this.exclusive(async () => {
      const doc = await this.read();
      const settings = stage === 'pending' ? doc.pending : doc.applied;
      return settings ? this.secretsOf(doc, settings, stage) : {};
    });
  }

  private async secretsOf(doc: SettingsDocument, settings: Settings, stage: SecretStage): Promise<SecretValues> {
    const values: SecretValues = {};
    for (const id of SECRET_IDS) {
      if (!secretMarker(settings, id).stored) continue;
      const value = await this.secrets.get(this.account(doc, stage, id));
      if (value === null) {
        const slot = fileSlotOfSecret(id);
        throw new SettingsError(
          'SECRET_MISSING',
          slot
            ? `The password of ${FIELDS[slot].label} is no longer in the OS keychain: load the file again with its password.`
            : 'The KMIP Password is no longer in the OS keychain: enter it again and Save.',
          { field: slot ?? 'password' },
        );
      }
      values[id] = value;
    }
    return values;
  }

  /**
   * A reader of stored copies that asks the OS keychain for the files key once, at the first sealed
   * copy, however many copies it then reads.
   */
  storedFileReader(): (file: StoredFile, slot: FileSlotId) => Promise<Buffer> {
    let key: Promise<Buffer | null> | undefined;
    const filesKey = (): Promise<Buffer | null> => (key ??= this.read().then((doc) => this.filesKey(doc)));
    return (file, slot) => readStoredCredentialFile(this.dataDir, file.fileName, slot, filesKey);
  }

  /** Bytes of one stored copy. */
  readStoredFile(file: StoredFile, slot: FileSlotId): Promise<Buffer> {
    return this.storedFileReader()(file, slot);
  }

  /** KMIP client options for `settings` and `secrets`, with this folder's stored file copies. */
  kmipClientOptions(settings: Settings, secrets: SecretValues, logger?: KmipClientOptions['logger']): Promise<KmipClientOptions> {
    return toKmipClientOptions({ settings, secrets, readFile: this.storedFileReader(), ...(logger ? { logger } : {}) });
  }

  /** validateForApply plus the checks that need Node: the cipher list, the stored copies. */
  async checkForApply(settings: Settings): Promise<ApplyCheck> {
    const result = validateForApply(settings, this.now());
    try {
      await assertCipherListUsable(settings.ciphers);
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      result.errors.push({ field: 'ciphers', code: error.code, message: error.message });
    }
    const readStoredFile = this.storedFileReader();
    for (const slot of FILE_SLOT_IDS) {
      const file = settings[slot];
      if (!file) continue;
      try {
        await readStoredFile(file, slot);
      } catch (error) {
        if (!(error instanceof SettingsError)) throw error;
        result.errors.push({ field: slot, code: error.code, message: error.message });
      }
    }
    result.ok = result.errors.length === 0;
    return result;
  }

  /**
   * checkForApply that throws APPLY_BLOCKED when there are errors (every error's message, the field
   * pointing at the first); otherwise returns the check with its warnings.
   */
  async assertReadyToApply(settings: Settings): Promise<ApplyCheck> {
    const check = await this.checkForApply(settings);
    const [first] = check.errors;
    if (first) {
      // All of them at once: fixing one problem only to be shown the next is a round trip per field.
      const message =
        check.errors.length === 1
          ? first.message
          : `${check.errors.length} problems in the pending settings must be fixed first: ${check.errors.map((error, index) => `(${index + 1}) ${error.message}`).join(' ')}`;
      throw new SettingsError('APPLY_BLOCKED', message, { field: first.field });
    }
    return check;
  }

  /**
   * Last step of Apply: pending becomes applied (settings and keychain entries). `used` are the
   * pending settings the run read at its start. Throws, and changes nothing: SETTINGS_CHANGED when
   * the pending settings are no longer those (a save from another window or process while the run
   * went on: applying them would record settings that never connected), APPLY_BLOCKED when they are
   * not valid for Apply.
   */
  commitApply(used: Settings): Promise<SettingsView> {
    return this.mutation(async () => {
      const doc = await this.read();
      const changed = changedFieldIds(doc.pending, used).map((id) => FIELDS[id].label);
      if (changed.length > 0) {
        throw new SettingsError(
          'SETTINGS_CHANGED',
          `The pending settings were changed while this run used them (${changed.join(', ')}, saved in another window ` +
            'or by a kmip-console command), so they were not applied: check them, then run Apply again.',
        );
      }
      await this.assertReadyToApply(doc.pending);
      const pendingSecrets = await this.secretsOf(doc, doc.pending, 'pending');
      const next: SettingsDocument = { ...doc, applied: structuredClone(doc.pending) };
      const written = await this.switchStageSecrets(doc, 'applied', pendingSecrets, next);
      this.log('Applied the pending settings');
      return this.toView(written);
    });
  }

  /** Revert: pending settings (and pending secrets) become the applied ones again; `shownRevision` (of pending and applied): see revisions.ts. */
  revert(shownRevision?: string): Promise<SettingsView> {
    return this.mutation(async () => {
      const doc = await this.read();
      assertSettingsAsShown(doc, shownRevision, 'reverted');
      const appliedSecrets = doc.applied ? await this.secretsOf(doc, doc.applied, 'applied') : {};
      const next: SettingsDocument = { ...doc, pending: doc.applied ? structuredClone(doc.applied) : defaultSettings() };
      const written = await this.switchStageSecrets(doc, 'pending', appliedSecrets, next);
      this.log('Reverted the pending settings to the applied ones');
      return this.toView(written);
    });
  }

  /** Reset: pending settings become the defaults, pending secrets are removed. Applied stays. `shownRevision`: see revisions.ts. */
  reset(shownRevision?: string): Promise<SettingsView> {
    return this.mutation(async () => {
      const doc = await this.read();
      assertSettingsAsShown(doc, shownRevision, 'reset');
      const next: SettingsDocument = { ...doc, pending: defaultSettings() };
      const written = await this.switchStageSecrets(doc, 'pending', {}, next);
      this.log('Reset the pending settings to the defaults');
      return this.toView(written);
    });
  }
}
