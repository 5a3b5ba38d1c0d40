// Ctrl-C, SIGTERM and SIGHUP in the CLI. Subscribers to io.onInterrupt form a stack and only the latest
// one is told: the most specific handler decides (a hidden prompt, above a run, above the default). While
// a command runs, the dispatcher's default (endOnInterrupt) is at the bottom: it ends the process with
// exit 130, the failure reported as the command's other failures are. `test`, `apply`, `recover` and
// `store restore` put cancelableByCtrlC above it: the first signal asks the run to stop at the step in
// progress, as the app's Cancel button does; the next one reaches the default and ends the process at once.
import { RunCancel } from '../eks';
import type { CliIo, InterruptSignal } from './command';
import { CliError } from './errors';
import { ExitCode } from './exit-codes';
import { reportFailure } from './output';

type OnInterrupt = NonNullable<CliIo['onInterrupt']>;
type InterruptListener = Parameters<OnInterrupt>[0];

/**
 * io.onInterrupt over `subscribe`, which hands the signals to one listener until unsubscribed: only the
 * latest subscriber still subscribed is told. `subscribe` is used only while there are subscribers, so
 * that without any the signals keep their default action.
 */
export function latestSubscriberOnly(subscribe: (listener: InterruptListener) => () => void): OnInterrupt {
  const stack: InterruptListener[] = [];
  let unsubscribeSource: (() => void) | undefined;
  return (listener) => {
    stack.push(listener);
    unsubscribeSource ??= subscribe((signal) => stack.at(-1)?.(signal));
    return () => {
      const index = stack.lastIndexOf(listener);
      if (index !== -1) stack.splice(index, 1);
      if (stack.length === 0) {
        unsubscribeSource?.();
        unsubscribeSource = undefined;
      }
    };
  };
}

/** A command, or its prompt, stopped by the operator or a signal: exit 130, as the runs' *_CANCELED codes. */
export function canceledError(message: string): CliError {
  return new CliError('CANCELED', message);
}

/** Ctrl-C is what the operator pressed; any other signal came from elsewhere (kill, timeout, a closed terminal) and is named. */
export function signalName(signal: InterruptSignal): string {
  return signal === 'SIGINT' ? 'Ctrl-C' : signal;
}

/** What ends the process at once after `signal` was taken up: the next one, said the way the first came. */
function nextSignal(signal: InterruptSignal): string {
  return signal === 'SIGINT' ? 'Ctrl-C again' : 'another Ctrl-C or signal';
}

/**
 * The default while `command` runs: a signal that no handler above claims ends the process with exit
 * 130, after reporting the failure (JSON on stdout with --json, one line on stderr). A second signal
 * while that report is still being written ends it at once. Returns the unsubscribe.
 */
export function endOnInterrupt(io: CliIo, command: string, json: boolean): () => void {
  const { exit, onInterrupt } = io;
  if (!exit || !onInterrupt) return () => undefined;
  let ending = false;
  return onInterrupt((signal) => {
    if (ending) {
      exit(ExitCode.Canceled);
      return;
    }
    ending = true;
    const code = reportFailure(io, json, command, canceledError(`canceled by ${signalName(signal)} before it finished.`));
    // Ends once the report is written (writes to a pipe complete later on macOS, and would be lost), or
    // after REPORT_GRACE_MS: a reader that does not drain the pipe must not keep the command running.
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      exit(code);
    };
    io.stderr.write('', () => io.stdout.write('', end));
    setTimeout(end, REPORT_GRACE_MS);
  });
}

/** How long a canceled command waits for its report to reach a slow reader before it ends. */
const REPORT_GRACE_MS = 1000;

/**
 * Runs `body`, a change that writes files and must not be cut short once it has begun to write (the
 * store, the settings): a signal meanwhile is noted, said, and the command goes on to report what it
 * did. A second signal reaches the default and ends the process at once (files are replaced
 * atomically, so they hold their old or their new content).
 */
export async function finishingWrite<T>(io: CliIo, command: string, body: () => Promise<T>): Promise<T> {
  const unsubscribe = io.onInterrupt?.((signal: InterruptSignal) => {
    unsubscribe?.();
    const again = nextSignal(signal);
    io.stderr.write(
      `\nkmip-console ${command}: ${signalName(signal)} received while writing, which can no longer stop; it ends in a moment and reports what it did. ` +
        `(${again} quits at once: the files are replaced atomically, so they keep their old or their new content.)\n`,
    );
  });
  try {
    return await body();
  } finally {
    unsubscribe?.();
  }
}

/** Runs `body` with a RunCancel that the operator's first Ctrl-C (or SIGTERM, SIGHUP) requests. */
export async function cancelableByCtrlC<T>(io: CliIo, command: string, body: (cancel: RunCancel) => Promise<T>): Promise<T> {
  const cancel = new RunCancel();
  const unsubscribe = io.onInterrupt?.((signal: InterruptSignal) => {
    unsubscribe?.();
    const received = signal === 'SIGINT' ? '' : `${signal} received: `;
    const again = nextSignal(signal);
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
