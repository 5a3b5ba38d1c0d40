// Public API of the encrypted object store (PRODUCT.md §4).
import path from 'node:path';

export { ObjectStore, isAdminKeyOf, readStoreHeader, MAX_GENERATED_KEY_BYTES } from './object-store';
export type { LocalUnlockKeys, ObjectInfo, RandomSource } from './object-store';
export type { AdminKeyRef, ObjectKind, ServerIdentity, StoreHeader } from './format';
export { StoreError, type StoreErrorCode } from './errors';
export { changeObjects } from './change-objects';
export { removeStaleTempFiles, writeFileAtomic, type AtomicWriteOptions } from './atomic-file';
export { lockOwnerAdvice, withLockFile, type LockFileOptions } from './lock-file';
export { IV_BYTES, KEY_BYTES, TAG_BYTES, open, seal, type Sealed } from './crypto';

/** File name of the store inside the app's data folder. */
export const STORE_FILE_NAME = 'store.kcs';

export function storeFilePath(dataDir: string): string {
  return path.join(dataDir, STORE_FILE_NAME);
}
export { keychainUnlockKeys, localUnlockAccount, type StringKeychain } from './keychain-unlock-keys';
