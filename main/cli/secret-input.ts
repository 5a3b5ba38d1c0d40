// Secrets for the CLI: from an environment variable, else a hidden prompt on a terminal (no echo).
import type { CliIo } from './command';
import { CliError } from './errors';

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

/** Reads everything from a non-terminal stdin (a value piped in), without its final line break. */
export async function readPipedStdin(io: CliIo): Promise<Buffer | null> {
  if ((io.stdin as NodeJS.ReadStream).isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const all = Buffer.concat(chunks);
  const end = all.length > 0 && all[all.length - 1] === 0x0a ? (all[all.length - 2] === 0x0d ? 2 : 1) : 0;
  return all.subarray(0, all.length - end);
}
