// Ctrl-C, SIGTERM and SIGHUP that no run claims: the command ends with exit 130 and its failure
// reported as its other failures are (one JSON document with --json); a hidden prompt answers them, and
// its own Ctrl-C and Ctrl-D, with 130 too, the terminal back out of raw mode. And `-h` after `--` is a value.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../main/cli';
import type { CliIo, InterruptSignal } from '../../../main/cli/command';
import { ExitCode } from '../../../main/cli/exit-codes';
import { cancelableByCtrlC, endOnInterrupt, latestSubscriberOnly } from '../../../main/cli/interrupt';
import { SettingsRepository } from '../../../main/settings';
import { runInMemory, terminalStdin } from '../../support/cli-in-memory';
import { scratchDir } from '../../support/scratch-dirs';
import { MemorySecretStore } from '../settings/memory-secret-store';

/** Signals sent by the test to an io whose onInterrupt is built as the process's is; exit() is recorded. */
function signalled(io: CliIo): { io: CliIo; send(signal?: InterruptSignal): void; exits: number[]; subscribed(): boolean } {
  let source: ((signal: InterruptSignal) => void) | undefined;
  const exits: number[] = [];
  const onInterrupt = latestSubscriberOnly((listener) => {
    source = listener;
    return () => (source = undefined);
  });
  return {
    io: { ...io, onInterrupt, exit: (code) => exits.push(code) },
    send: (signal = 'SIGINT') => source?.(signal),
    exits,
    subscribed: () => source !== undefined,
  };
}

function collected(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

/** Streams for a command that waits on standard input, a pipe that stays open. */
function waitingOnStdin(): { io: CliIo; stdout(): string; stderr(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  return { io: { stdin: new PassThrough(), stdout, stderr, env: {} }, stdout: collected(stdout), stderr: collected(stderr) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('a signal no run claims', () => {
  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)('%s ends ttlv decode --json, waiting on standard input, with 130 and one JSON document', async (signal) => {
    const streams = waitingOnStdin();
    const cli = signalled(streams.io);
    void main(['ttlv', 'decode', '--json'], cli.io);
    await settle();
    cli.send(signal);
    await expect.poll(() => cli.exits).toEqual([ExitCode.Canceled]);
    const name = signal === 'SIGINT' ? 'Ctrl-C' : signal;
    expect(JSON.parse(streams.stdout())).toEqual({ ok: false, error: { code: 'CANCELED', message: `canceled by ${name} before it finished.` } });
    expect(streams.stderr()).toBe(`kmip-console ttlv: canceled by ${name} before it finished.\n`);
  });

  it('writes nothing on standard output without --json, and a second signal ends the process at once', async () => {
    const streams = waitingOnStdin();
    const cli = signalled(streams.io);
    void main(['ttlv', 'encode'], cli.io);
    await settle();
    cli.send('SIGTERM');
    cli.send('SIGTERM');
    await expect.poll(() => cli.exits.length).toBe(2);
    expect(cli.exits).toEqual([ExitCode.Canceled, ExitCode.Canceled]);
    expect(streams.stdout()).toBe('');
    expect(streams.stderr()).toBe('kmip-console ttlv: canceled by SIGTERM before it finished.\n');
  });

  it('is no longer listened to once the command has finished, so that the signal has its default action again', async () => {
    const cli = signalled({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: {} });
    expect(await main(['ttlv', 'decode', '42000d02000000040000000100000000'], cli.io)).toBe(ExitCode.Ok);
    expect(cli.subscribed()).toBe(false);
  });
});

describe('a run-level handler above the default', () => {
  it('alone hears the first signal (the run cancels); the next one reaches the default, which ends with 130', async () => {
    const streams = waitingOnStdin();
    const cli = signalled(streams.io);
    const stopDefault = endOnInterrupt(cli.io, 'apply', true);
    const requested = await cancelableByCtrlC(cli.io, 'apply', async (cancel) => {
      cli.send('SIGTERM');
      await settle();
      expect(cli.exits).toEqual([]);
      expect(streams.stdout()).toBe('');
      cli.send('SIGTERM');
      return cancel.requested;
    });
    stopDefault();
    expect(requested).toBe(true);
    await expect.poll(() => cli.exits).toEqual([ExitCode.Canceled]);
    await settle();
    expect(cli.exits).toEqual([ExitCode.Canceled]);
    expect(streams.stderr()).toContain('kmip-console apply: SIGTERM received: canceling at the step in progress (another Ctrl-C or signal quits at once)');
    expect(JSON.parse(streams.stdout())).toMatchObject({ ok: false, error: { code: 'CANCELED' } });
  });
});

describe('the hidden prompt', () => {
  it.each([
    ['Ctrl-C', '\u0003'],
    ['Ctrl-D', '\u0004'],
  ])('cancelled with %s: exit 130 with CANCELED, nothing saved', async (_key, typed) => {
    const dataDir = scratchDir('kmip-cli-prompt-');
    const stdin = terminalStdin();
    const onStderr = (text: string) => {
      if (text.startsWith('KMIP password')) stdin.write(typed);
    };
    const run = await runInMemory((io) => main(['settings', 'set', 'password', '--json', '--data-dir', dataDir], io), { stdin, onStderr });
    expect(run.code).toBe(ExitCode.Canceled);
    expect(JSON.parse(run.stdout)).toEqual({ ok: false, error: { code: 'CANCELED', message: 'Prompt canceled: nothing was changed.' } });
    expect(run.stderr).toContain('kmip-console settings set: Prompt canceled: nothing was changed.');
  });

  it('answers a signal with 130 and one JSON document, raw mode off again, the default not involved', async () => {
    const dataDir = scratchDir('kmip-cli-prompt-');
    const rawModes: boolean[] = [];
    const stdin: PassThrough = Object.assign(new PassThrough(), {
      isTTY: true,
      setRawMode: (raw: boolean) => {
        rawModes.push(raw);
        return stdin;
      },
    });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const [output, said] = [collected(stdout), collected(stderr)];
    const cli = signalled({ stdin, stdout, stderr, env: {} });
    stderr.on('data', (chunk: Buffer) => {
      if (chunk.toString().startsWith('Value of')) cli.send('SIGHUP');
    });
    const code = await main(['store', 'add', 'v', '--json', '--data-dir', dataDir], cli.io);
    expect(code).toBe(ExitCode.Canceled);
    expect(rawModes).toEqual([true, false]);
    expect(cli.exits).toEqual([]);
    expect(JSON.parse(output())).toEqual({ ok: false, error: { code: 'CANCELED', message: 'Prompt canceled (SIGHUP received): nothing was changed.' } });
    expect(said()).toContain('kmip-console store add: Prompt canceled (SIGHUP received): nothing was changed.');
  });
});

describe('-h and --help', () => {
  it('are values after `--`: settings set description -- -h saves "-h"', async () => {
    const dataDir = scratchDir('kmip-cli-help-');
    const run = await runInMemory((io) => main(['settings', 'set', '--data-dir', dataDir, 'description', '--', '-h'], io));
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.stdout).not.toContain('Usage');
    const settings = new SettingsRepository({ dataDir, secrets: new MemorySecretStore() });
    expect((await settings.loadPending()).description).toBe('-h');
  });

  it('still ask for the usage before `--`', async () => {
    const run = await runInMemory((io) => main(['settings', 'set', '-h', '--', 'x'], io));
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(/^Usage:/);
  });
});
