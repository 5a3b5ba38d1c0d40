// The settings file: <dataDir>/settings.json holds pending and applied settings together, so one
// atomic write moves both (Apply cannot leave them half-updated). It never holds a secret; its
// keychainId names this data folder's keychain entries, so two data folders (the app's and a
// CLI --data-dir) never read or overwrite each other's secrets.
import { randomBytes } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SETTINGS_SCHEMA_VERSION, SettingsSchema, defaultSettings, type Settings } from '../../common/settings';
import { writeFileAtomic } from '../store';
import { SettingsError, settingsWriteFailed } from './errors';

export const SETTINGS_FILE_NAME = 'settings.json';

export interface SettingsDocument {
  schemaVersion: number;
  /** prefix of this folder's keychain accounts (see main/secrets secretAccount) */
  keychainId: string;
  pending: Settings;
  applied: Settings | null;
  /**
   * Which keychain entries hold each stage's secrets (secretAccount's revision): a stage's secrets
   * are replaced by writing the next revision, then switching this number in one atomic write.
   */
  pendingRevision: number;
  appliedRevision: number;
}

const DocumentSchema = z.object({
  schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION),
  keychainId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  pending: SettingsSchema,
  applied: SettingsSchema.nullable(),
  pendingRevision: z.number().int().nonnegative(),
  appliedRevision: z.number().int().nonnegative(),
});

export function newSettingsDocument(): SettingsDocument {
  return { schemaVersion: SETTINGS_SCHEMA_VERSION, keychainId: randomBytes(8).toString('hex'), pending: defaultSettings(), applied: null, pendingRevision: 0, appliedRevision: 0 };
}

type RawDocument = { schemaVersion: number } & Record<string, unknown>;

/**
 * Structural migrations: MIGRATIONS[n] turns a version-n document into version n+1. Fields added
 * within a version need no step: missing fields take their defaults (fillDefaults).
 */
const MIGRATIONS: Readonly<Record<number, (doc: RawDocument) => RawDocument>> = {
  // Version 1 named every folder's keychain entries "default/…"; keep those entries reachable.
  1: (doc) => ({ ...doc, schemaVersion: 2, keychainId: 'default' }),
  // Version 2 kept each stage's secrets under "<id>/<stage>/…", which is revision 0: the entries
  // stay where they are (no keychain write, so nothing for a crash to interrupt).
  2: (doc) => ({ ...doc, schemaVersion: 3, pendingRevision: 0, appliedRevision: 0 }),
};

function fillDefaults(settings: unknown): unknown {
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) return settings;
  return { ...defaultSettings(), ...settings };
}

/** Brings a parsed document of any known version to the current schema, or explains why not. */
export function migrateSettingsDocument(raw: unknown, fileName: string): SettingsDocument {
  if (raw === null || typeof raw !== 'object' || typeof (raw as RawDocument).schemaVersion !== 'number') {
    throw new Error(`no schemaVersion in ${fileName}`);
  }
  let doc = raw as RawDocument;
  if (doc.schemaVersion > SETTINGS_SCHEMA_VERSION) {
    throw new SettingsError(
      'SETTINGS_TOO_NEW',
      `${fileName} was written by a newer kmip-console (settings version ${doc.schemaVersion}, this one reads up to ${SETTINGS_SCHEMA_VERSION}): ` +
        'update kmip-console. The file was left unchanged.',
    );
  }
  while (doc.schemaVersion < SETTINGS_SCHEMA_VERSION) {
    const step = MIGRATIONS[doc.schemaVersion];
    if (!step) throw new Error(`no migration from settings version ${doc.schemaVersion}`);
    doc = step(doc);
  }
  const filled = { ...doc, pending: fillDefaults(doc.pending), applied: doc.applied === null ? null : fillDefaults(doc.applied) };
  return DocumentSchema.parse(filled);
}

function timestamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

export function settingsFilePath(dataDir: string): string {
  return path.join(dataDir, SETTINGS_FILE_NAME);
}

/**
 * Reads the settings document; a missing file means "never saved". A file that cannot be parsed
 * is moved aside to settings.json.corrupt-<time> (never overwritten) and reported.
 */
export async function readSettingsDocument(dataDir: string, now: () => Date = () => new Date()): Promise<SettingsDocument> {
  const file = settingsFilePath(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return newSettingsDocument();
    }
    throw new SettingsError('SETTINGS_CORRUPTED', `The settings file ${file} cannot be read (${(error as NodeJS.ErrnoException).code}): check its permissions.`, {
      cause: error,
    });
  }
  try {
    return migrateSettingsDocument(JSON.parse(text), file);
  } catch (cause) {
    if (cause instanceof SettingsError) throw cause;
    const aside = `${file}.corrupt-${timestamp(now())}`;
    await rename(file, aside);
    throw new SettingsError(
      'SETTINGS_CORRUPTED',
      `The settings file ${file} is damaged and was moved aside to ${aside}. Settings start again from the defaults: ` +
        're-enter them (or restore a backup of the file), then apply them: in the app, Save and Apply; on the command line, ' +
        'kmip-console settings set (or settings import) and kmip-console apply.',
      { cause },
    );
  }
}

export async function writeSettingsDocument(dataDir: string, doc: SettingsDocument): Promise<void> {
  const file = settingsFilePath(dataDir);
  try {
    await writeFileAtomic(file, Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, 'utf8'), { mode: 0o600 });
  } catch (cause) {
    throw settingsWriteFailed(`The settings could not be written to ${file}`, cause, "check the folder's permissions.");
  }
}
