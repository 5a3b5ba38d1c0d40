// Errors of the command line itself (not of the actions it runs).
import { AppError } from '../../common/app-error';

export type CliErrorCode =
  /** a secret is needed and neither its environment variable nor a terminal is available */
  | 'SECRET_UNAVAILABLE'
  /** no applied settings yet, where the command needs them */
  | 'NOT_APPLIED'
  /** the output file exists and --force was not given */
  | 'FILE_EXISTS'
  /** an input file cannot be read or is not what it should be */
  | 'BAD_INPUT'
  /** Ctrl-C, SIGTERM or SIGHUP stopped the command, or its prompt (exit 130) */
  | 'CANCELED';

export class CliError extends AppError {
  declare readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string) {
    super(code, message);
  }
}
