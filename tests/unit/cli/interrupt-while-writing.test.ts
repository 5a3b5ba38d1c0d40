// A signal while a command writes its files (the store, the settings) does not cut the write short or
// report CANCELED for a change that was made; and a canceled command whose report a reader never takes
// still ends.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo, InterruptSignal } from '../../../main/cli/command';
import { ExitCode } from '../../../main/cli/exit-codes';
import { endOnInterrupt, finishingWrite, latestSubscriberOnly } from '../../../main/cli/interrupt';

/** An io whose signals the test sends, built as the process's is; exit() is recorded. */
function signalled(stdout: PassThrough = new PassThrough()): { io: CliIo; send(signal?: InterruptSignal): void; exits: number[]; stderr(): string } {
  let source: ((signal: InterruptSignal) => void) | undefined;
  const exits: number[] = [];
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const onInterrupt = latestSubscriberOnly((listener) => {
    source = listener;
    return () => (source = undefined);
  });
  return {
    io: { stdin: new PassThrough(), stdout, stderr, env: {}, onInterrupt, exit: (code) => exits.push(code) },
    send: (signal = 'SIGINT') => source?.(signal),
    exits,
    stderr: () => text,
  };
}

describe('a signal while a command writes', () => {
  it('is noted and said; the write finishes and its result is what the command reports', async () => {
    const cli = signalled();
    const stopDefault = endOnInterrupt(cli.io, 'store', true);
    let finishWrite: (value: string) => void = () => undefined;
    const writing = finishingWrite(cli.io, 'store add', () => new Promise<string>((resolve) => (finishWrite = resolve)));
    cli.send('SIGTERM');
    expect(cli.exits).toEqual([]);
    expect(cli.stderr()).toContain('kmip-console store add: SIGTERM received while writing, which can no longer stop');
    finishWrite('added');
    await expect(writing).resolves.toBe('added');
    expect(cli.exits).toEqual([]);
    stopDefault();
  });

  it('lets a second signal end the process at once, through the default', async () => {
    const cli = signalled();
    const stopDefault = endOnInterrupt(cli.io, 'store', false);
    void finishingWrite(cli.io, 'store add', () => new Promise<never>(() => undefined));
    cli.send();
    cli.send();
    await expect.poll(() => cli.exits).toEqual([ExitCode.Canceled]);
    stopDefault();
  });
});

describe('a canceled command whose report a reader never takes', () => {
  it('ends all the same, within about a second', async () => {
    // A pipe nobody reads: once full, writes wait for a reader that never comes.
    const stdout = new PassThrough({ highWaterMark: 1 });
    stdout.write('x'.repeat(64 * 1024));
    const cli = signalled(stdout);
    const stopDefault = endOnInterrupt(cli.io, 'ttlv', true);
    cli.send();
    await expect.poll(() => cli.exits, { timeout: 3000 }).toEqual([ExitCode.Canceled]);
    stopDefault();
  });
});
