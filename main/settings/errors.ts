import { AppError } from '../../common/app-error';
import type { FileSlotId } from '../../common/pki-types';
import { FIELDS } from '../../common/settings';
import { outOfSpaceReason } from '../files';
import { PkiError } from '../pki';

export type SettingsErrorCode =
  | 'VALIDATION_FAILED'
  | 'APPLY_BLOCKED'
  | 'SETTINGS_CORRUPTED'
  | 'SETTINGS_TOO_NEW'
  | 'SETTINGS_WRITE_FAILED'
  | 'SETTINGS_BUSY'
  /** the pending settings changed while Apply or Recover used them: what was used is not what would be applied */
  | 'SETTINGS_CHANGED'
  /** a window's save, load or clear of one field it showed with another value than the one pending now: nothing was changed */
  | 'FIELD_CHANGED'
  | 'SECRET_MISSING'
  | 'STORED_FILE_MISSING';

export class SettingsError extends AppError {
  declare readonly code: SettingsErrorCode;

  constructor(code: SettingsErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * SETTINGS_WRITE_FAILED for a write that failed in `what` ("The settings in /x cannot be changed"):
 * a full disk is named as such, any other cause gets `otherFix`.
 */
export function settingsWriteFailed(what: string, cause: unknown, otherFix: string): SettingsError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? String(cause);
  const outOfSpace = outOfSpaceReason(cause);
  const fix = outOfSpace ? `${outOfSpace}. Free space on that disk, then try again.` : otherFix;
  return new SettingsError('SETTINGS_WRITE_FAILED', `${what} (${code}): ${fix}`, { cause });
}

/** Where the file of `slot` is loaded, in the words of both the app and the CLI (a message reaches either). */
export function whereToLoad(slot: FileSlotId): string {
  return `in the app: Advanced › ${FIELDS[slot].label}; on the command line: kmip-console settings set ${slot} --file PATH`;
}

/** `error` naming `slot` as its field when it is a PkiError (the dialog shows it at that slot); any other error as it is. */
export function atSlot(error: unknown, slot: FileSlotId): unknown {
  return error instanceof PkiError ? new PkiError(error.code, error.message, { field: slot, cause: error }) : error;
}
