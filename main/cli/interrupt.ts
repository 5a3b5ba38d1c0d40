// Ctrl-C, SIGTERM or SIGHUP during `test`, `apply`, `recover` and `store restore`: the first one asks
// the run to stop at the step in progress, as the app's Cancel button does; a second one ends the
// process at once (Node's own behaviour for these signals, restored after the first).
import { RunCancel } from '../eks';
import type { CliIo, InterruptSignal } from './command';

/** Runs `body` with a RunCancel that the operator's first Ctrl-C (or SIGTERM, SIGHUP) requests. */
export async function cancelableByCtrlC<T>(io: CliIo, command: string, body: (cancel: RunCancel) => Promise<T>): Promise<T> {
  const cancel = new RunCancel();
  const unsubscribe = io.onInterrupt?.((signal: InterruptSignal) => {
    unsubscribe?.();
    // Ctrl-C is what the operator pressed; any other signal came from elsewhere (kill, timeout, a closed terminal): name it.
    const received = signal === 'SIGINT' ? '' : `${signal} received: `;
    const again = signal === 'SIGINT' ? 'Ctrl-C again' : 'another Ctrl-C or signal';
    io.stderr.write(
      cancel.request()
        ? `\nkmip-console ${command}: ${received}canceling at the step in progress (${again} quits at once)…\n`
        : `\nkmip-console ${command}: ${received}writing the store, which can no longer stop; it ends in a moment. ` +
            `(${again} quits at once: the store file is replaced atomically, so it keeps its old or its new content.)\n`,
    );
  });
  try {
    return await body(cancel);
  } finally {
    unsubscribe?.();
  }
}
