// Documented exit codes of `kmip-console` (listed in README.md and in `kmip-console help`).
export const ExitCode = {
  Ok: 0,
  /** the action ran and failed (server refused, test step failed, wrong key) */
  Failed: 1,
  /** wrong command line: unknown command or option, missing argument */
  Usage: 2,
  /** bad input data: malformed TTLV/JSON, invalid setting value, a file missing, damaged or not what it must be */
  DataError: 3,
  /** the key server could not be reached or did not answer in time */
  Unreachable: 4,
  /** the OS keychain is unavailable or a required secret is missing */
  SecretUnavailable: 5,
  /**
   * the operator canceled it with Ctrl-C, or SIGTERM or SIGHUP asked it to stop (128 + SIGINT, as
   * shells report an interrupted command; one code whatever the signal, so that a script tests one)
   */
  Canceled: 130,
  /** internal error: a bug; the message says what happened */
  Internal: 70,
  /**
   * the result could not be written to standard output, or to the file the command writes (a backup, an
   * export), because of a full disk or an I/O error: the command ran, only its output is lost. Not 1 or
   * 3, which say the action failed or changed nothing: an Apply whose output hit a full disk did apply.
   * 74 is EX_IOERR of sysexits.h, whose EX_SOFTWARE is the 70 above.
   */
  OutputFailed: 74,
  /** standard output was closed before all was written (`… | head`): 128 + SIGPIPE, as the shell reports a Unix tool that ends so */
  OutputClosed: 141,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
