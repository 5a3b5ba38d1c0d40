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
