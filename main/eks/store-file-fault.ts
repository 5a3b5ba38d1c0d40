// The store file in the data folder is kmip-console's own: when it cannot be read, what is there is a
// damaged store (never "check the path"), or something else in its place that no restore can replace.
// Every command that opens that file describes it the same way.
import { stat } from 'node:fs/promises';
import { UserFileError } from '../files';
import { ObjectStore, StoreError, type LocalUnlockKeys, type RandomSource } from '../store';
import { EksError } from './errors';

/** The error of a store file whose content cannot be read as a store, or does not verify. */
export function isDamagedStore(error: unknown): error is StoreError {
  return error instanceof StoreError && error.code === 'STORE_TAMPERED';
}

/**
 * Something kmip-console cannot read as its store where the store file should be (a folder, pipe or
 * device, or a file too large to be one): neither read nor replaced, and how to get out. A restore with
 * --replace reads the file it replaces first, so it cannot get past one either.
 */
function notAFile(storePath: string, what: string): EksError {
  return new EksError(
    'STORE_NOT_A_FILE',
    `${storePath} is ${what}, not the store file. kmip-console does not delete or replace it: move it out of the way (rename it), ` +
      'then restore a backup file into the data folder.',
    [],
    {
      fix:
        `Move ${storePath} out of the way (e.g. mv "${storePath}" "${storePath}.aside"), then restore a backup file: ` +
        'kmip-console recover --backup FILE, or System Recovery Options → Restore from a backup file.',
    },
  );
}

/**
 * What a failure to read the store file in the data folder means. That file is kmip-console's own, so
 * a file there that is not a store, or does not verify, is a damaged store (never "check the path"):
 * `damaged` carries what is wrong with it. A folder, pipe or device there, or a file too large to be read,
 * throws STORE_NOT_A_FILE.
 * Null: not a damage (no permission, an I/O error, a newer format: STORE_TOO_NEW), to be reported as it is.
 */
export async function storeFileDamage(error: unknown, storePath: string): Promise<string | null> {
  if (isDamagedStore(error)) return error.message;
  if (!(error instanceof StoreError)) return null;
  if (error.code !== 'STORE_UNREADABLE') return null;
  const info = await stat(storePath).catch(() => null);
  if (info?.isDirectory()) throw notAFile(storePath, 'a folder');
  if (info && !info.isFile()) throw notAFile(storePath, 'not a regular file (a pipe, socket or device)');
  if (error.cause instanceof UserFileError) {
    if (error.cause.code === 'FILE_TOO_LARGE') throw notAFile(storePath, 'a file larger than any store kmip-console writes (over 1 GiB)');
    return null;
  }
  return `${storePath} does not read as a kmip-console store: it was damaged, or another file was put in its place.`;
}

/** The error to report for the store file in the data folder that cannot be read: a damaged one is STORE_TAMPERED. */
export async function asStoreFault(error: unknown, storePath: string): Promise<unknown> {
  const damage = await storeFileDamage(error, storePath);
  if (damage === null || isDamagedStore(error)) return error;
  return new StoreError('STORE_TAMPERED', `${damage} Restore it from a backup.`, storePath, { cause: error });
}

/** ObjectStore.open of the data folder's store file, its failures described as above. */
export async function openDataFolderStore(storePath: string, unlockKeys: LocalUnlockKeys, random?: RandomSource): Promise<ObjectStore> {
  try {
    return await ObjectStore.open(storePath, unlockKeys, random);
  } catch (error) {
    throw await asStoreFault(error, storePath);
  }
}
