// Typed errors of files a person names (read-user-file.ts, write-user-file.ts). Every message names the file and the fix.
import { AppError } from '../../common/app-error';

export type UserFileErrorCode =
  /** nothing at that path */
  | 'FILE_NOT_FOUND'
  /** a folder, a FIFO or device, no permission, or an I/O error */
  | 'FILE_UNREADABLE'
  /** larger than a file of that kind can be */
  | 'FILE_TOO_LARGE'
  /** cannot be written there: no such folder, a folder or device in the way, no permission, a read-only disk */
  | 'FILE_UNWRITABLE'
  /** the path is fine, but the write failed: the disk is full, or an I/O error */
  | 'FILE_NOT_WRITTEN';

export class UserFileError extends AppError {
  declare readonly code: UserFileErrorCode;

  constructor(
    code: UserFileErrorCode,
    message: string,
    /** the file concerned */
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
