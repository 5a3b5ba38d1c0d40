// Restore from a backup file in the app (System Recovery Options): main keeps the chosen file's path,
// shows the renderer what the file holds and what it would replace, and restores only once the
// operator has confirmed replacing a store in the data folder.
import type { ChosenBackup } from '../../common/ipc';
import { AppError } from '../../common/app-error';
import { readRecoverableHeader, storeInDataFolder } from '../eks';

/** What `filePath` holds; refused (STORE_UNREADABLE, NO_ADMIN_KEY, …, naming the file) when recovery could not open it. */
export async function describeBackup(filePath: string, dataDir: string): Promise<ChosenBackup> {
  const { kind, header, objectCount } = await readRecoverableHeader(filePath);
  const { generation, name, server } = header.adminKey;
  return {
    fileName: filePath,
    kind,
    storeId: header.storeId,
    adminKeyGeneration: generation,
    adminKeyName: name,
    appliedOn: `${server.host}:${server.port}`,
    objectCount,
    replaces: await storeInDataFolder(dataDir),
  };
}

/** Refuses a restore over a store in the data folder that the operator has not confirmed replacing. */
export async function assertRestoreConfirmed(dataDir: string, replaceStore: boolean): Promise<void> {
  const current = await storeInDataFolder(dataDir);
  if (current && !replaceStore) {
    throw new AppError(
      'RESTORE_NOT_CONFIRMED',
      `The data folder holds store ${current.storeId} (${current.objectCount} objects), which the restore would replace: ` +
        'confirm replacing it, or restore into an empty data folder.',
    );
  }
}
