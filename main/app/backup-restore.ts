// Restore from a backup file in the app (System Recovery Options): main keeps the chosen file's path
// and shows the renderer what the file holds and what it would replace.
import type { ChosenBackup } from '../../common/ipc';
import { readRecoverableHeader, storeInDataFolder } from '../eks';

/** What `filePath` holds; refused (STORE_UNREADABLE, NO_ADMIN_KEY, …, naming the file) when recovery could not open it. */
export async function describeBackup(filePath: string, dataDir: string): Promise<ChosenBackup> {
  const { kind, header, objectCount } = await readRecoverableHeader(filePath, 'backup');
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
