// A hidden prompt whose terminal has closed (a closed window sends SIGHUP, and leaving raw mode then
// fails): the prompt ends as canceled, once, and no 'error' goes unhandled.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSecret } from '../../../main/cli/secret-input';

/** A terminal on which setRawMode fails as on a closed one (Node's tty emits 'error'): leaving raw mode, or also entering it. */
function closedTerminal(failsFrom: 'leaving' | 'entering' = 'leaving'): PassThrough & { isTTY: true; setRawMode(mode: boolean): PassThrough } {
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true as const,
    setRawMode(mode: boolean): PassThrough {
      if (!mode || failsFrom === 'entering') stdin.emit('error', Object.assign(new Error('setRawMode EIO'), { code: 'EIO' }));
      return stdin;
    },
  });
  return stdin;
}

const ask = (stdin: PassThrough) =>
  readSecret({ stdin, stdout: new PassThrough(), stderr: new PassThrough(), env: {}, onInterrupt: () => () => undefined }, { env: 'KMIP_CONSOLE_PASSWORD', prompt: 'KMIP password' });

describe('a hidden prompt on a terminal that closed', () => {
  it('is canceled with CANCELED when the terminal fails', async () => {
    const stdin = closedTerminal();
    const stderr = new PassThrough();
    const asked = readSecret({ stdin, stdout: new PassThrough(), stderr, env: {} }, { env: 'KMIP_CONSOLE_PASSWORD', prompt: 'KMIP password' });
    stdin.emit('error', Object.assign(new Error('read EIO'), { code: 'EIO' }));
    await expect(asked).rejects.toMatchObject({ code: 'CANCELED', message: 'Prompt canceled (the terminal closed): nothing was changed.' });
  });

  it('ends as canceled at Ctrl-C although leaving raw mode fails', async () => {
    const stdin = closedTerminal();
    const asked = readSecret({ stdin, stdout: new PassThrough(), stderr: new PassThrough(), env: {} }, { env: 'KMIP_CONSOLE_PASSWORD', prompt: 'KMIP password' });
    stdin.write('\u0003');
    await expect(asked).rejects.toMatchObject({ code: 'CANCELED', message: 'Prompt canceled: nothing was changed.' });
  });

  it('is canceled when entering raw mode already fails', async () => {
    await expect(ask(closedTerminal('entering'))).rejects.toMatchObject({ code: 'CANCELED', message: 'Prompt canceled (the terminal closed): nothing was changed.' });
  });

  it('is canceled when the terminal ends its input (hung up), instead of leaving the command unsettled', async () => {
    const stdin = closedTerminal();
    const asked = ask(stdin);
    stdin.end();
    await expect(asked).rejects.toMatchObject({ code: 'CANCELED', message: 'Prompt canceled (the terminal closed): nothing was changed.' });
  });
});
