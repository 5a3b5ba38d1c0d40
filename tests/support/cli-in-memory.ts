// Runs the command line, or one of its commands, in this process with in-memory standard streams,
// as an operator would from a shell: the test gives stdin and reads what was printed.
import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../../main/cli/command';

export interface InMemoryRun {
  code: number;
  stdout: string;
  /** stdout as written, for binary output */
  stdoutBytes: Buffer;
  stderr: string;
}

export interface InMemoryOptions {
  /** piped bytes or text (given as a copy: the CLI zeroes what it reads), or a stream such as terminalStdin() */
  stdin?: string | Buffer | NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
  /** stdout is a terminal */
  stdoutIsTerminal?: boolean;
  /** sees each piece of stderr as it is written, to answer a prompt */
  onStderr?: (text: string) => void;
}

function stdinFrom(input: InMemoryOptions['stdin']): NodeJS.ReadableStream {
  if (input === undefined) return Readable.from([]);
  if (typeof input !== 'string' && !Buffer.isBuffer(input)) return input;
  return Readable.from(input.length === 0 ? [] : [Buffer.from(input)]);
}

/** Runs `entry` (main with its arguments, or a command's run) with in-memory streams. */
export async function runInMemory(entry: (io: CliIo) => Promise<number>, options: InMemoryOptions = {}): Promise<InMemoryRun> {
  const stdout = Object.assign(new PassThrough(), options.stdoutIsTerminal ? { isTTY: true } : {});
  const stderr = new PassThrough();
  const [out, err]: [Buffer[], Buffer[]] = [[], []];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => {
    err.push(chunk);
    options.onStderr?.(chunk.toString());
  });
  const code = await entry({ stdin: stdinFrom(options.stdin), stdout, stderr, env: options.env ?? {} });
  const stdoutBytes = Buffer.concat(out);
  return { code, stdout: stdoutBytes.toString(), stdoutBytes, stderr: Buffer.concat(err).toString() };
}

/** A terminal's stdin as far as the secret prompt uses it (raw mode); write keys to it. */
export function terminalStdin(): PassThrough {
  const stdin: PassThrough = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin });
  return stdin;
}
