// Typed errors of the encrypted object store. Every message names the file and what to do.
import { AppError } from '../../common/app-error';

export type StoreErrorCode =
  /** no store file in the data folder (nothing stored yet, or wrong --data-dir) */
  | 'STORE_NOT_FOUND'
  /** the backup file to restore is not there (moved or deleted since it was chosen, or a wrong path) */
  | 'BACKUP_NOT_FOUND'
  /** a backup was to be written over the store file itself */
  | 'BACKUP_OVER_STORE'
  /** the file is not a store or backup this version can read (another file, newer format, unreadable) */
  | 'STORE_UNREADABLE'
  /** the file is a store of a newer format, written by a newer kmip-console: not damaged, and left as it is */
  | 'STORE_TOO_NEW'
  /** the file was modified outside kmip-console: a header field, an object or the MAC does not verify */
  | 'STORE_TAMPERED'
  /** the same, for a backup file being restored: another copy of the backup is the way out */
  | 'BACKUP_DAMAGED'
  /** the key offered (local unlock key or Admin Key) is not the one that wraps this store's data key */
  | 'WRONG_KEY'
  /** the local unlock key of this store is not in the OS keychain: recover from the key server */
  | 'LOCAL_UNLOCK_MISSING'
  /** the store has no Admin Key yet (never applied): nothing on the key server can open it */
  | 'NO_ADMIN_KEY'
  /** the store file changed on disk since it was opened (another kmip-console process) */
  | 'STORE_CHANGED'
  /** another kmip-console process held the store's lock file for longer than the wait */
  | 'STORE_BUSY'
  /** the store file (or its lock file) cannot be written: permissions, missing folder, full disk */
  | 'STORE_WRITE_FAILED'
  | 'OBJECT_NOT_FOUND'
  | 'OBJECT_EXISTS'
  | 'INVALID_OBJECT';

export class StoreError extends AppError {
  declare readonly code: StoreErrorCode;

  constructor(
    code: StoreErrorCode,
    message: string,
    /** the store or backup file concerned */
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
