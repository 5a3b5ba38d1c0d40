// Secrets for the CLI: from an environment variable, else a hidden prompt on a terminal (no echo).
import type { CliIo } from './command';
import { CliError } from './errors';
import { canceledError, signalName } from './interrupt';
import { readAtMost } from './read-at-most';
import { SECRET_VALUE_ENV } from './secret-env';

export interface SecretRequest {
  /** environment variable that may hold it */
  env: string;
  /** what the prompt asks, e.g. "KMIP password" */
  prompt: string;
}

/** The secret from `request.env`, else typed at a hidden prompt; SECRET_UNAVAILABLE without a terminal, CANCELED when the prompt is. */
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
  return promptHidden(io, stdin, `${request.prompt}: `);
}

/**
 * Reads a line at a hidden prompt. Ctrl-C or Ctrl-D, or a signal (raw mode makes Ctrl-C a key, so a
 * signal comes from elsewhere: kill, a closed terminal), cancels it with CANCELED (exit 130), the
 * terminal back in normal mode (echo on) first.
 */
function promptHidden(io: CliIo, stdin: NodeJS.ReadStream, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const line = new HiddenLine();
    let finished = false;
    const finish = (action: () => void) => {
      // Once: leaving raw mode on a closed terminal emits 'error', which asks to cancel again.
      if (finished) return;
      finished = true;
      stopListening?.();
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.off('error', closedTerminal);
      stdin.off('end', closedTerminal);
      stdin.pause();
      io.stderr.write('\n');
      action();
    };
    const cancel = (why: string) => finish(() => reject(canceledError(`Prompt canceled${why}: nothing was changed.`)));
    const onData = (chunk: string) => {
      for (const char of chunk) {
        const outcome = line.type(char);
        if (outcome === 'enter') return finish(() => resolve(line.value));
        if (outcome === 'cancel') return cancel('');
      }
    };
    // A terminal that has closed (the SIGHUP of a closed window) ends its input, and makes setRawMode emit
    // 'error' instead of throwing: while the prompt owns the terminal, either ends it as canceled.
    const closedTerminal = (): void => cancel(' (the terminal closed)');
    stdin.on('error', closedTerminal);
    stdin.on('end', closedTerminal);
    // Subscribed before raw mode: setRawMode can end the prompt at once (above), and finish() unsubscribes it.
    const stopListening = io.onInterrupt?.((signal) => cancel(` (${signalName(signal)} received)`));
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.on('data', onData);
    stdin.resume();
    // Asked once listening: from then on, what the operator does is answered.
    io.stderr.write(question);
  });
}

/** C0 and C1 control characters: keys such as Tab or Ctrl-U, never part of a secret. */
const CONTROL = /\p{Cc}/u;

/**
 * The line typed at the hidden prompt, one code point at a time. Keys such as the arrows send escape
 * sequences (CSI `ESC [ … final`, SS3 `ESC O x`), which are dropped; the state lasts from one chunk to
 * the next because a terminal may split a sequence between reads.
 */
class HiddenLine {
  value = '';
  private escape: 'none' | 'esc' | 'csi' | 'ss3' = 'none';

  /** 'enter' or 'cancel' (Ctrl-C, Ctrl-D) when the line ends, else undefined. */
  type(char: string): 'enter' | 'cancel' | undefined {
    if (char === '\r' || char === '\n') return 'enter';
    if (char === '\u0003' || char === '\u0004') return 'cancel';
    if (this.inEscape(char)) return undefined;
    if (char === '\u007f' || char === '\b') this.value = withoutLastCodePoint(this.value);
    else if (!CONTROL.test(char)) this.value += char;
    return undefined;
  }

  /** Whether `char` belongs to an escape sequence (and so is not typed text). */
  private inEscape(char: string): boolean {
    if (char === '\u001b') {
      this.escape = 'esc';
      return true;
    }
    switch (this.escape) {
      case 'esc':
        // ESC then anything else was a lone ESC: it is dropped, the next key counts.
        this.escape = char === '[' ? 'csi' : char === 'O' ? 'ss3' : 'none';
        return this.escape !== 'none';
      case 'ss3':
        this.escape = 'none';
        return true;
      case 'csi':
        // Parameter and intermediate bytes (0x20-0x3f) go on; a final byte (0x40-0x7e) ends it.
        if (char >= ' ' && char <= '~') {
          if (char >= '@') this.escape = 'none';
          return true;
        }
        this.escape = 'none';
        return false;
      case 'none':
        return false;
    }
  }
}

function withoutLastCodePoint(value: string): string {
  // A character above U+FFFF is two UTF-16 units: removing only one would leave half of it.
  return value.slice(0, (value.codePointAt(value.length - 2) ?? 0) > 0xffff ? -2 : -1);
}

/**
 * A value piped into a non-terminal stdin; null on a terminal. Refused (BAD_INPUT) when longer than
 * `maxBytes`. A 'text' value loses one final line break (`echo secret | …` adds it); a 'binary' one
 * (a key) is kept byte for byte, as its last bytes may well be 0x0d 0x0a.
 */
export async function readPipedStdin(io: CliIo, maxBytes: number, content: 'text' | 'binary'): Promise<Buffer | null> {
  if ((io.stdin as NodeJS.ReadStream).isTTY) return null;
  // Room for a text value's final line break, which is not part of it.
  const all = await readAtMost(io.stdin, maxBytes + 2);
  const end = content === 'text' && all !== 'too-large' && all[all.length - 1] === 0x0a ? (all[all.length - 2] === 0x0d ? 2 : 1) : 0;
  if (all === 'too-large' || all.length - end > maxBytes) {
    if (all !== 'too-large') all.fill(0);
    throw new CliError('BAD_INPUT', `The value piped in is longer than ${maxBytes} bytes, the most an object can hold: nothing was added.`);
  }
  if (all.length - end === 0) {
    // Standard input was no terminal and held nothing (`< /dev/null`, an empty pipe, a job without input).
    throw new CliError(
      'BAD_INPUT',
      `No value: standard input is not a terminal, so the value is read from it, and it was empty. Pipe the value in, set ${SECRET_VALUE_ENV}, or run the command in a terminal to be asked for it. Nothing was added.`,
    );
  }
  return all.subarray(0, all.length - end);
}
