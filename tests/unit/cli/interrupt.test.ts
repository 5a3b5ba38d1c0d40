// Ctrl-C, SIGTERM and SIGHUP in the CLI: the first requests the run's cancel (or says it is too late),
// and leaves a second to Node's default (the process ends at once).
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { processIo } from '../../../main/cli';
import type { CliIo, InterruptSignal } from '../../../main/cli/command';
import { cancelableByCtrlC } from '../../../main/cli/interrupt';

function interruptibleIo(): { io: CliIo; press(signal?: InterruptSignal): void; listening(): number; stderr(): string } {
  const listeners = new Set<(signal: InterruptSignal) => void>();
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const io: CliIo = {
    stdin: Readable.from([]),
    stdout: new PassThrough(),
    stderr,
    env: {},
    onInterrupt: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { io, press: (signal = 'SIGINT') => [...listeners].forEach((listener) => listener(signal)), listening: () => listeners.size, stderr: () => text };
}

describe('cancelableByCtrlC', () => {
  it('cancels on the first Ctrl-C and stops listening, so that a second one ends the process', async () => {
    const cli = interruptibleIo();
    const requested = await cancelableByCtrlC(cli.io, 'apply', async (cancel) => {
      expect(cli.listening()).toBe(1);
      cli.press();
      expect(cli.listening()).toBe(0);
      return cancel.requested;
    });
    expect(requested).toBe(true);
    expect(cli.stderr()).toContain('kmip-console apply: canceling at the step in progress (Ctrl-C again quits at once)');
  });

  it('says it is too late once the run is past its point of no return, and the run goes on', async () => {
    const cli = interruptibleIo();
    const requested = await cancelableByCtrlC(cli.io, 'recover', async (cancel) => {
      cancel.commit();
      cli.press();
      return cancel.requested;
    });
    expect(requested).toBe(false);
    expect(cli.stderr()).toContain('kmip-console recover: writing the store, which can no longer stop');
  });

  it.each(['SIGTERM', 'SIGHUP'] as const)('cancels on %s as on Ctrl-C, and names the signal', async (signal) => {
    const cli = interruptibleIo();
    const requested = await cancelableByCtrlC(cli.io, 'apply', async (cancel) => {
      cli.press(signal);
      expect(cli.listening()).toBe(0);
      return cancel.requested;
    });
    expect(requested).toBe(true);
    expect(cli.stderr()).toContain(`kmip-console apply: ${signal} received: canceling at the step in progress (another Ctrl-C or signal quits at once)`);
  });

  it('says it is too late on SIGTERM too, once the run is past its point of no return', async () => {
    const cli = interruptibleIo();
    await cancelableByCtrlC(cli.io, 'recover', async (cancel) => {
      cancel.commit();
      cli.press('SIGTERM');
    });
    expect(cli.stderr()).toContain('kmip-console recover: SIGTERM received: writing the store, which can no longer stop');
  });

  it('stops listening when the run ends without a Ctrl-C', async () => {
    const cli = interruptibleIo();
    await cancelableByCtrlC(cli.io, 'test', async () => undefined);
    expect(cli.listening()).toBe(0);
  });
});

describe('processIo', () => {
  it('hands SIGINT, SIGTERM and SIGHUP to the listener while subscribed, and none after', () => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const before = signals.map((signal) => process.listenerCount(signal));
    const received: string[] = [];
    const unsubscribe = processIo().onInterrupt!((signal) => received.push(signal));
    expect(signals.map((signal) => process.listenerCount(signal))).toEqual(before.map((count) => count + 1));
    for (const signal of signals) process.emit(signal, signal);
    expect(received).toEqual(signals);
    unsubscribe();
    expect(signals.map((signal) => process.listenerCount(signal))).toEqual(before);
  });
});
