// How the commands report: progress lines on stderr, the result on stdout (text or --json), and a
// failure as a message (and, with --json, a JSON error object) with its documented exit code.
import type { StepReport } from '../../common/ipc';
import { AppError, errorMessageToShow } from '../../common/app-error';
import { EksError, type StepListener } from '../eks';
import { TransportError, type KmipClientOptions } from '../kmip';
import { UsageError } from './args';
import type { CliIo } from './command';
import { ExitCode } from './exit-codes';

const MARK: Record<StepReport['status'], string> = {
  pending: '[    ]',
  running: '[ .. ]',
  pass: '[ ok ]',
  warn: '[warn]',
  fail: '[FAIL]',
  skipped: '[skip]',
};

export function formatStep(step: StepReport): string {
  const time = step.ms === undefined ? '' : ` (${step.ms} ms)`;
  const lines = [`${MARK[step.status]} ${step.label}${time}${step.detail ? `: ${step.detail}` : ''}`];
  if (step.fix && (step.status === 'warn' || step.status === 'fail')) lines.push(`       fix: ${step.fix}`);
  return lines.join('\n');
}

/** A step running this long gets a line of its own: see progressPrinter. */
export const STILL_RUNNING_NOTE_MS = 5_000;

function timeoutText(timeoutMs: number): string {
  return timeoutMs === 0 ? 'Timeout 0: no time limit' : `Timeout ${timeoutMs / 1000} s`;
}

/**
 * Progress on stderr: one line per finished step. A step still running after STILL_RUNNING_NOTE_MS
 * is said to be running, with the connection's Timeout: a slow or silent key server (with Timeout 0,
 * one that never answers) would otherwise hold the command without a word.
 */
export function progressPrinter(io: CliIo, timeoutMs: number): StepListener {
  let running: { id: string; timer: NodeJS.Timeout } | null = null;
  return (step) => {
    if (step.status === 'pending') return;
    if (step.status === 'running') {
      if (running?.id === step.id) return; // the same step, updated
      if (running) clearTimeout(running.timer);
      const timer = setTimeout(() => {
        // Not every step waits on the key server (the store step may wait on another process's lock), and not every
        // step can stop: the line says what bounds a request, and Ctrl-C's own answer says whether it stops.
        const bound = timeoutMs === 0 ? 'without limit, Timeout 0' : `up to Timeout, ${timeoutMs / 1000} s`;
        io.stderr.write(`${MARK.running} ${step.label}: still running after ${STILL_RUNNING_NOTE_MS / 1000} s (a request to the key server waits ${bound}); Ctrl-C asks it to stop.\n`);
      }, STILL_RUNNING_NOTE_MS);
      timer.unref();
      running = { id: step.id, timer };
      return;
    }
    if (running?.id === step.id) {
      clearTimeout(running.timer);
      running = null;
    }
    io.stderr.write(`${formatStep(step)}\n`);
  };
}

/**
 * Says on stderr that the key server is asked for entropy, before asking: with Timeout 0 (no time
 * limit) a server that never answers would otherwise hold the command silently. `note` says what a
 * Ctrl-C then leaves behind, where that matters.
 */
export function entropyProgress(io: CliIo, connection: KmipClientOptions, note?: string): void {
  io.stderr.write(`entropy: asking ${connection.host}:${connection.port} for entropy (${timeoutText(connection.timeoutMs)})… Ctrl-C to stop${note ? `; ${note}` : ''}.\n`);
}

/**
 * Writes `bytes` (a backup, an export) to standard output and resolves once they are written, so that
 * what is said about them afterwards is true. A failed write does not resolve: the process's
 * standard-output handler reports it and ends the process (see output-errors.ts).
 */
export function writeOutput(io: CliIo, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve) => io.stdout.write(bytes, (error) => (error ? undefined : resolve())));
}

export function writeResult(io: CliIo, json: boolean, value: unknown, text: string): void {
  io.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text.endsWith('\n') || text === '' ? text : `${text}\n`);
}

// A connection dropped before the answer is no answer, like a timeout: check the server or network, then retry.
const UNREACHABLE_CODES = new Set(['DNS_LOOKUP_FAILED', 'CONNECTION_REFUSED', 'NETWORK_UNREACHABLE', 'CONNECT_TIMEOUT', 'REQUEST_TIMEOUT', 'CONNECTION_CLOSED']);
const CANCELED_CODES = new Set(['TEST_CANCELED', 'APPLY_CANCELED', 'RECOVER_CANCELED', 'CANCELED']);
const SECRET_CODES = new Set(['SECRET_STORE_UNAVAILABLE', 'SECRET_STORE_FAILED', 'SECRET_MISSING', 'SECRET_UNAVAILABLE']);
/**
 * Exit 3, bad input data: a value, or a file the command reads, that is missing or not what it must be.
 * A file is bad data whichever file it is and however the fault shows: a missing one (FILE_NOT_FOUND,
 * STORE_NOT_FOUND, BACKUP_NOT_FOUND, PKI_UNREADABLE), and a damaged one, a backup (BACKUP_DAMAGED) as
 * much as the data folder's store, whether its bytes are no store or its MAC does not verify
 * (STORE_TAMPERED), or a folder, pipe or oversized file is in its place (STORE_NOT_A_FILE). Running the
 * action again cannot help; another file (a backup restored over it) can.
 */
const DATA_CODES = new Set([
  'VALIDATION_FAILED',
  'APPLY_BLOCKED',
  'SETTINGS_CORRUPTED',
  'SETTINGS_TOO_NEW',
  'STORED_FILE_MISSING',
  'STORE_UNREADABLE',
  'STORE_TAMPERED',
  'STORE_NOT_A_FILE',
  'STORE_TOO_NEW',
  'STORE_NOT_FOUND',
  'BACKUP_NOT_FOUND',
  'BACKUP_DAMAGED',
  'BACKUP_OVER_STORE',
  'FILE_NOT_FOUND',
  'FILE_UNREADABLE',
  'FILE_TOO_LARGE',
  'FILE_UNWRITABLE',
  'BAD_INPUT',
  'INVALID_OBJECT',
]);

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError) return ExitCode.Usage;
  const code = error instanceof AppError || error instanceof TransportError ? error.code : undefined;
  return code === undefined ? ExitCode.Internal : exitCodeForErrorCode(code);
}

/**
 * The exit code of an action that reports its failure instead of throwing it (test, entropy): 4 when
 * the cause is that the key server could not be reached or did not answer in time, as for apply; else 1.
 */
export function reportedFailureExitCode(code: string | undefined): ExitCode {
  return code !== undefined && exitCodeForErrorCode(code) === ExitCode.Unreachable ? ExitCode.Unreachable : ExitCode.Failed;
}

/** The exit code for an error's code. */
export function exitCodeForErrorCode(code: string): ExitCode {
  if (CANCELED_CODES.has(code)) return ExitCode.Canceled;
  // The file the command writes (a backup, an export) hit a full or failing disk: its output is lost, as on standard output.
  if (code === 'FILE_NOT_WRITTEN') return ExitCode.OutputFailed;
  if (UNREACHABLE_CODES.has(code)) return ExitCode.Unreachable;
  if (SECRET_CODES.has(code)) return ExitCode.SecretUnavailable;
  if (DATA_CODES.has(code) || code.startsWith('PKI_')) return ExitCode.DataError;
  return ExitCode.Failed;
}

/** Reports a failure of `command` (undefined before a command is known) and returns its exit code. */
export function reportFailure(io: CliIo, json: boolean, command: string | undefined, error: unknown, usage?: string): ExitCode {
  const who = command === undefined ? 'kmip-console' : `kmip-console ${command}`;
  const exitCode = exitCodeFor(error);
  const message = errorMessageToShow(error);
  const code = error instanceof AppError || error instanceof TransportError || error instanceof UsageError ? error.code : 'INTERNAL';
  if (exitCode === ExitCode.Usage) {
    const showUsage = usage !== undefined && error instanceof UsageError && error.showUsage;
    io.stderr.write(`${who}: ${message}\n${showUsage ? `\n${usage}\n` : ''}`);
  } else {
    io.stderr.write(`${who}: ${exitCode === ExitCode.Internal ? 'internal error: ' : ''}${message}\n`);
  }
  // With --json, stdout holds one JSON document whatever happened: the result, or this.
  if (json) {
    const steps = error instanceof EksError ? error.steps : undefined;
    const field = error instanceof AppError ? error.field : undefined;
    io.stdout.write(`${JSON.stringify({ ok: false, error: { code, message, ...(field ? { field } : {}) }, ...(steps ? { steps } : {}) }, null, 2)}\n`);
  }
  return exitCode;
}
