// The hidden prompt keeps exactly what was typed: whole characters on Backspace, and no bytes of the
// escape sequences that keys such as the arrows send.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../main/cli/command';
import { readSecret } from '../../../main/cli/secret-input';
import { terminalStdin } from '../../support/cli-in-memory';

/** A terminal's stdin in raw mode, as far as the prompt uses it. */
function fakeTerminal(): { io: CliIo; type(...chunks: string[]): void } {
  const stdin = terminalStdin();
  const io: CliIo = { stdin, stdout: new PassThrough(), stderr: new PassThrough(), env: {} };
  // One write per chunk: a terminal may deliver keys one read at a time, or split a sequence.
  return { io, type: (...chunks) => chunks.forEach((chunk) => stdin.write(chunk)) };
}

async function typed(...chunks: string[]): Promise<string> {
  const terminal = fakeTerminal();
  const secret = readSecret(terminal.io, { env: 'UNSET_FOR_TEST', prompt: 'Value' });
  terminal.type(...chunks);
  return secret;
}

describe('readSecret at the hidden prompt', () => {
  it('takes the line up to Enter', async () => {
    expect(await typed('pa55', 'word\r')).toBe('pa55word');
  });

  it('removes a whole character above U+FFFF (two UTF-16 units) on Backspace', async () => {
    expect(await typed('ab😀', '\u007f', 'c\r')).toBe('abc');
    expect(await typed('😀😀\b\r')).toBe('😀');
    expect(await typed('a\u007f\u007f\u007fb\r')).toBe('b');
  });

  it('drops arrow and function keys (CSI and SS3 sequences) and a lone ESC', async () => {
    expect(await typed('ab\u001b[A\u001b[1;5Dc\u001bOPd\r')).toBe('abcd');
    // A sequence split between reads is dropped all the same.
    expect(await typed('ab\u001b', '[', '3~c\r')).toBe('abc');
    // A lone ESC, even twice, then a key: the key counts.
    expect(await typed('a\u001b', 'b\u001b\u001b[Bc\r')).toBe('abc');
  });

  it('leaves out other control characters such as Tab and Ctrl-U', async () => {
    expect(await typed('a\tb\u0015c\u0000\u009bd\r')).toBe('abcd');
  });

  it('still ends a line at Enter or cancels at Ctrl-C inside an unfinished sequence', async () => {
    expect(await typed('ab\u001b[1\r')).toBe('ab');
    await expect(typed('ab\u001b[1\u0003')).rejects.toMatchObject({ code: 'CANCELED', message: 'Prompt canceled: nothing was changed.' });
  });
});
