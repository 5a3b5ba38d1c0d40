// Documented exit codes of `kmip-console` (listed in README.md and in `kmip-console help`).
export const ExitCode = {
  Ok: 0,
  /** the action ran and failed (server refused, test step failed, integrity check failed) */
  Failed: 1,
  /** wrong command line: unknown command or option, missing argument */
  Usage: 2,
  /** bad input data: malformed TTLV/JSON, invalid setting value, unreadable file */
  DataError: 3,
  /** the key server could not be reached or did not answer in time */
  Unreachable: 4,
  /** the OS keychain is unavailable or a required secret is missing */
  SecretUnavailable: 5,
  /** the operator canceled it with Ctrl-C (128 + SIGINT, as shells report an interrupted command) */
  Canceled: 130,
  /** internal error: a bug; the message says what happened */
  Internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
