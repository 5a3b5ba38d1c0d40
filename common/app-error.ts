// Base of the app's typed errors. Every subclass carries a stable `code` and a message a person
// can act on (names the field or file and the fix), and never a secret. The IPC handler wrapper
// turns one into `{ ok: false, error: { code, message, field } }`.
export class AppError extends Error {
  readonly code: string;
  readonly field?: string;

  constructor(code: string, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options?.field !== undefined) this.field = options.field;
  }
}

/**
 * The code of an error raised by Node.js or OpenSSL themselves (ERR_…), else null. Their messages
 * quote the argument they refused ("Received 'hunter2'"), which could be a secret: such a message
 * is never shown, logged or sent to the renderer.
 */
export function platformErrorCode(error: unknown): string | null {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_') ? code : null;
}

/** The text of anything thrown: an Error's message, else the value as a string. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a person may be shown of an error: its message, but never a platform error's (see above). */
export function errorMessageToShow(error: unknown): string {
  const platformCode = platformErrorCode(error);
  if (platformCode) return `${platformCode} (Node.js's message is not shown: it can quote the value it refused)`;
  return messageOf(error);
}
