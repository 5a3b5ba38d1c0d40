// What every CLI sub-command provides; main/cli/index.ts dispatches on `name`.

/** The signals that ask a run to stop: Ctrl-C, and what `kill`, `timeout`, systemd and a closed terminal send. */
export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  /** results: human-readable text, or JSON with --json */
  stdout: NodeJS.WritableStream;
  /** progress and errors */
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /**
   * Subscribes to Ctrl-C (SIGINT), SIGTERM and SIGHUP and returns the unsubscribe; absent where
   * nothing can interrupt (tests that run main() in-process). Subscribers form a stack: only the latest
   * one still subscribed is told (see interrupt.ts). While any is subscribed, they do not end the process.
   */
  onInterrupt?: (listener: (signal: InterruptSignal) => void) => () => void;
  /** Ends the process at once with `code`, whatever is still running; present with onInterrupt. */
  exit?: (code: number) => void;
}

export interface CliCommand {
  /** first word(s) after `kmip-console`, e.g. "ttlv" */
  name: string;
  /** one line for `kmip-console help` */
  summary: string;
  /** full usage text for `kmip-console <name> --help` */
  usage: string;
  /** runs with the arguments after `name`; resolves to the process exit code */
  run(args: string[], io: CliIo): Promise<number>;
}
