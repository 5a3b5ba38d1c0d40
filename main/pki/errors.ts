import { AppError } from '../../common/app-error';

export type PkiErrorCode =
  | 'PKI_WRONG_PASSWORD'
  | 'PKI_PASSWORD_REQUIRED'
  | 'PKI_WRONG_FORMAT'
  | 'PKI_CORRUPTED'
  | 'PKI_NO_CERTIFICATE'
  | 'PKI_NO_PRIVATE_KEY'
  | 'PKI_CERT_EXPIRED'
  | 'PKI_CERT_NOT_YET_VALID'
  | 'PKI_KEY_MISMATCH'
  | 'PKI_FILE_TOO_LARGE'
  | 'PKI_UNREADABLE';

/** A certificate or key file that cannot be used; the message names the file and the fix. */
export class PkiError extends AppError {
  declare readonly code: PkiErrorCode;

  constructor(code: PkiErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(code, message, options);
  }
}

/** PKI_WRONG_PASSWORD's advice: the password is case-sensitive, and one that begins or ends with a space likely came with a paste. */
export function checkPasswordAdvice(password: string): string {
  const spaced = /^\s|\s$/.test(password) ? '; this one begins or ends with a space or line break, as a pasted one often does' : '';
  return `check the password (it is case-sensitive${spaced}) and load the file again`;
}
