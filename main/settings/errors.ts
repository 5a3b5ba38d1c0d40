import { AppError } from '../../common/app-error';

export type SettingsErrorCode =
  | 'VALIDATION_FAILED'
  | 'APPLY_BLOCKED'
  | 'SETTINGS_CORRUPTED'
  | 'SETTINGS_TOO_NEW'
  | 'SETTINGS_WRITE_FAILED'
  | 'SETTINGS_BUSY'
  | 'SECRET_MISSING'
  | 'STORED_FILE_MISSING';

export class SettingsError extends AppError {
  declare readonly code: SettingsErrorCode;

  constructor(code: SettingsErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(code, message, options);
  }
}
