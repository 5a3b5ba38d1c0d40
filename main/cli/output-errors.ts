// A failed write to standard output or error (`> /dev/full`, `| head`, a closed terminal) would be an
// unhandled 'error' event: Node would end with a stack trace. Here it ends the way Unix tools do.
import { outOfSpaceReason } from '../files';
import { ExitCode } from './exit-codes';

/** The one line that says why the output was lost and what to do. */
function outputLost(error: NodeJS.ErrnoException): string {
  const outOfSpace = outOfSpaceReason(error);
  const reason = outOfSpace ?? (error.code === 'EIO' ? 'an input/output error (EIO)' : (error.code ?? error.message));
  return `kmip-console: could not write the output: ${reason}. The command ran; only its output is lost: ${outOfSpace ? 'free space, or ' : ''}send it elsewhere.\n`;
}

/**
 * Handles write errors of the process's standard streams. Standard output: a reader that went away
 * (EPIPE) ends the process quietly, as SIGPIPE ends a Unix tool; any other failure (ENOSPC, EIO) is
 * said on stderr in one line, and ends it with OutputFailed. Results are written once the command's
 * work is done, so ending then stops nothing half-way. Standard error: ignored, as there is nowhere
 * left to report it, and progress that cannot be shown (the terminal closed) must not stop an Apply.
 */
export function endOnOutputErrors(stdout: NodeJS.EventEmitter, stderr: NodeJS.WritableStream, exit: (code: number) => void): void {
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') stderr.write(outputLost(error));
    exit(error.code === 'EPIPE' ? ExitCode.OutputClosed : ExitCode.OutputFailed);
  });
  stderr.on('error', () => undefined);
}
