// Ctrl-C in the CLI: the first press requests the run's cancel (or says it is too late), and leaves
// the second press to Node's default (the process ends at once).
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../main/cli/command';
import { cancelableByCtrlC } from '../../../main/cli/interrupt';

function interruptibleIo(): { io: CliIo; press(): void; listening(): number; stderr(): string } {
  const listeners = new Set<() => void>();
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
  return { io, press: () => [...listeners].forEach((listener) => listener()), listening: () => listeners.size, stderr: () => text };
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

  it('stops listening when the run ends without a Ctrl-C', async () => {
    const cli = interruptibleIo();
    await cancelableByCtrlC(cli.io, 'test', async () => undefined);
    expect(cli.listening()).toBe(0);
  });
});
