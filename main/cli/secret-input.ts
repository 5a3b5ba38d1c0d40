// Secrets for the CLI: from an environment variable, else a hidden prompt on a terminal (no echo).
import type { CliIo } from './command';
import { CliError } from './errors';
import { readAtMost } from './read-at-most';

export interface SecretRequest {
  /** environment variable that may hold it */
  env: string;
  /** what the prompt asks, e.g. "KMIP password" */
  prompt: string;
}

/** The secret from `request.env`, else typed at a hidden prompt; SECRET_UNAVAILABLE without a terminal. */
export async function readSecret(io: CliIo, request: SecretRequest): Promise<string> {
  const fromEnv = io.env[request.env];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const stdin = io.stdin as NodeJS.ReadStream;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') {
    throw new CliError(
      'SECRET_UNAVAILABLE',
      `${request.prompt} is needed: set the environment variable ${request.env}, or run the command in a terminal to be prompted.`,
    );
  }
  return promptHidden(stdin, io.stderr, `${request.prompt}: `);
}

function promptHidden(stdin: NodeJS.ReadStream, out: NodeJS.WritableStream, question: string): Promise<string> {
  out.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (action: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      out.write('\n');
      action();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(() => resolve(value));
        if (char === '\u0003' || char === '\u0004') {
          return finish(() => reject(new CliError('SECRET_UNAVAILABLE', 'Prompt cancelled: nothing was changed.')));
        }
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * A value piped into a non-terminal stdin, without its final line break; null on a terminal.
 * Refused (BAD_INPUT) when longer than `maxBytes`.
 */
export async function readPipedStdin(io: CliIo, maxBytes: number): Promise<Buffer | null> {
  if ((io.stdin as NodeJS.ReadStream).isTTY) return null;
  // Room for the final line break, which is not part of the value.
  const all = await readAtMost(io.stdin, maxBytes + 2);
  const end = all !== 'too-large' && all.length > 0 && all[all.length - 1] === 0x0a ? (all[all.length - 2] === 0x0d ? 2 : 1) : 0;
  if (all === 'too-large' || all.length - end > maxBytes) {
    if (all !== 'too-large') all.fill(0);
    throw new CliError('BAD_INPUT', `The value piped in is longer than ${maxBytes} bytes, the most an object can hold: nothing was added.`);
  }
  return all.subarray(0, all.length - end);
}
