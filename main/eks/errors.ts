// Errors of Test / Apply / Recover. `code` is the cause's own code when it has one (CONNECTION_REFUSED,
// KMIP_OPERATION_FAILED, STORE_TAMPERED, …) or one of EksErrorCode; `steps` shows how far the run got.
import { AppError } from '../../common/app-error';
import type { StepReport } from '../../common/ipc';

export type EksErrorCode =
  /** no object with the Admin Key's Name or unique identifier is visible on the configured server */
  | 'ADMIN_KEY_NOT_FOUND'
  /** objects with the Admin Key's Name exist, but none of them opens this store */
  | 'ADMIN_KEY_MISMATCH'
  /** after a dropped Activate, the key server gives the Admin Key a State other than Pre-Active or Active */
  | 'ADMIN_KEY_NOT_ACTIVE'
  /** Get returned other bytes than were registered */
  | 'READBACK_MISMATCH'
  /** the server does not offer an operation Apply or Recover needs */
  | 'OPERATION_NOT_OFFERED'
  /** Locate finds an object under every Admin Key Name tried: the server may not filter Locate by Name */
  | 'ADMIN_KEY_NAMES_TAKEN'
  /** a backup of another store would replace the store in the data folder */
  | 'BACKUP_OF_OTHER_STORE'
  /** a backup of the store in the data folder would replace it (and what changed since the backup) */
  | 'BACKUP_REPLACES_STORE'
  /** the store cannot be opened locally: recover it first */
  | 'STORE_NEEDS_RECOVERY'
  /** the operator stopped a Test (it changes nothing, so it can be stopped at any step) */
  | 'TEST_CANCELED'
  /** the operator stopped an Apply before it started writing the store header */
  | 'APPLY_CANCELED'
  /** the operator stopped a Recover before it started writing the store */
  | 'RECOVER_CANCELED'
  /** a folder, pipe or device, or a file too large to be a store, is where the store file should be: kmip-console neither reads nor replaces it */
  | 'STORE_NOT_A_FILE';

export class EksError extends AppError {
  /** the fix for this failure when it depends on more than its code (else explain() gives the code's fix) */
  readonly fix?: string;

  constructor(
    code: string,
    message: string,
    readonly steps: StepReport[] = [],
    options: { cause?: unknown; field?: string; fix?: string } = {},
  ) {
    super(code, message, options);
    if (options.fix !== undefined) this.fix = options.fix;
  }
}
