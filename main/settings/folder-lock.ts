// Serialises settings changes between processes (the app and a `kmip-console` CLI on the same data
// folder) with the folder's lock file (see store/lock-file.ts).
import path from 'node:path';
import { ensureFolder } from '../files';
import { lockOwnerAdvice, withLockFile } from '../store';
import { SettingsError, settingsWriteFailed } from './errors';

export const LOCK_FILE_NAME = 'settings.lock';
const WAIT_MS = 10_000;

export function withFolderLock<T>(dataDir: string, operation: () => Promise<T>, waitMs: number = WAIT_MS): Promise<T> {
  const file = path.join(dataDir, LOCK_FILE_NAME);
  return withLockFile(file, operation, {
    waitMs,
    // First change in a new data folder.
    createFolder: () => ensureFolder(dataDir, 'data folder'),
    failed: (_code, cause) => settingsWriteFailed(`The settings in ${dataDir} cannot be changed`, cause, 'check that the folder exists and is writable.'),
    busy: (owner) => new SettingsError('SETTINGS_BUSY', `The settings in ${dataDir} are being changed ${lockOwnerAdvice(owner, file, 'try again')}`),
  });
}
