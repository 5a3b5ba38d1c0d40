// A key server that never answers must not hold a command without a word: with Timeout 0 (no time
// limit) nothing else ends the wait, so the step in progress says it is waiting, and how to stop.
import { PassThrough } from 'node:stream';
import { expect, it, vi } from 'vitest';
import { progressPrinter, STILL_RUNNING_NOTE_MS } from '../../../main/cli/output';
import type { CliIo } from '../../../main/cli/command';
import { RunCancel, runTest } from '../../../main/eks';
import { useLocalKmipServers } from '../../support/local-kmip-servers';
import { optionsFor, startSilentTcpServer } from '../../support/transport-fixtures';

const { pki, closeAfterTest } = useLocalKmipServers();

function stderrIo(): { io: CliIo; lines(): string[] } {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { io: { stdin: new PassThrough(), stdout: new PassThrough(), stderr, env: {} }, lines: () => text.split('\n').filter(Boolean) };
}

it(
  'says once that the step in progress is still running, with Timeout 0 and Ctrl-C, when the server never answers; finished steps as before',
  async () => {
    const silent = closeAfterTest(await startSilentTcpServer()); // TCP connects; the TLS handshake never ends
    const { io, lines } = stderrIo();
    const cancel = new RunCancel();
    const started = performance.now();
    const waitingLine = new Promise<void>((resolve) => io.stderr.on('data', (chunk: Buffer) => chunk.toString().includes('still running') && resolve()));
    const report = runTest({ ...optionsFor(pki, silent.port, { timeoutMs: 0 }), protocol: '1.2' }, progressPrinter(io, 0), cancel);
    await waitingLine;
    expect(performance.now() - started).toBeGreaterThanOrEqual(STILL_RUNNING_NOTE_MS - 50);
    cancel.request();
    await report;
    const waiting = '[ .. ] TLS handshake: still running after 5 s (a request to the key server waits without limit, Timeout 0); Ctrl-C asks it to stop.';
    const tlsResult = lines().findIndex((line) => line.startsWith('[FAIL] TLS handshake'));
    expect(lines().slice(0, tlsResult)).toEqual([expect.stringMatching(/^\[ ok \] Name resolution/), expect.stringMatching(/^\[ ok \] TCP connect/), waiting]);
    expect(lines()[tlsResult]).toMatch(/cancel/i);
    expect(lines().filter((line) => line.includes('still running'))).toHaveLength(1);
  },
  20_000,
);

it('says nothing more for a step that ends in time, and notes a later slow step once', () => {
  vi.useFakeTimers();
  try {
    const written: string[] = [];
    const io = { stderr: { write: (text: string) => written.push(text) } } as unknown as CliIo;
    const print = progressPrinter(io, 30_000);
    print({ id: 'tcp', label: 'TCP connect', status: 'running' });
    vi.advanceTimersByTime(STILL_RUNNING_NOTE_MS - 1);
    print({ id: 'tcp', label: 'TCP connect', status: 'pass', ms: 3, detail: 'connected' });
    print({ id: 'query', label: 'Query', status: 'running' });
    print({ id: 'query', label: 'Query', status: 'running', detail: 'an update of the same step' });
    vi.advanceTimersByTime(3 * STILL_RUNNING_NOTE_MS);
    expect(written).toEqual(['[ ok ] TCP connect (3 ms): connected\n', '[ .. ] Query: still running after 5 s (a request to the key server waits up to Timeout, 30 s); Ctrl-C asks it to stop.\n']);
  } finally {
    vi.useRealTimers();
  }
});
