// Serialises settings changes between processes (the app and a `kmip-console` CLI on the same data
// folder) with the folder's lock file (see store/lock-file.ts).
import path from 'node:path';
import { ensureFolder } from '../files';
import { withLockFile } from '../store';
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
    busy: (owner) =>
      new SettingsError(
        'SETTINGS_BUSY',
        owner.otherNamespace
          ? // Its pid is one inside the sandbox: checking it here would mislead both ways.
            `The settings in ${dataDir} are being changed by kmip-console in another pid namespace (a Flatpak sandbox or a container` +
              `${owner.pid ? `, where it runs as pid ${owner.pid}` : ''}; that pid says nothing about the processes outside it): ` +
              `wait for it to finish, or close kmip-console there first, and try again; only if no kmip-console runs there any more, delete ${file}.`
          : `The settings in ${dataDir} are being changed by another kmip-console process${owner.pid ? ` (pid ${owner.pid})` : ''}: ` +
            `wait for it to finish and try again; if no such process runs, delete ${file}.`,
      ),
  });
}
