// Ctrl-C during `test`, `apply`, `recover` and `store restore`: the first press asks the run to stop
// at the step in progress, as the app's Cancel button does; a second press ends the process at once
// (Node's own SIGINT behaviour, restored after the first press).
import { RunCancel } from '../eks';
import type { CliIo } from './command';

/** Runs `body` with a RunCancel that the operator's first Ctrl-C requests. */
export async function cancelableByCtrlC<T>(io: CliIo, command: string, body: (cancel: RunCancel) => Promise<T>): Promise<T> {
  const cancel = new RunCancel();
  const unsubscribe = io.onInterrupt?.(() => {
    unsubscribe?.();
    io.stderr.write(
      cancel.request()
        ? `\nkmip-console ${command}: canceling at the step in progress (Ctrl-C again quits at once)…\n`
        : `\nkmip-console ${command}: writing the store, which can no longer stop; it ends in a moment. ` +
            'Ctrl-C again quits at once: the store file is replaced atomically, so it keeps its old or its new content.\n',
    );
  });
  try {
    return await body(cancel);
  } finally {
    unsubscribe?.();
  }
}
