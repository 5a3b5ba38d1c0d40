// A real `kmip-console` process stopped by SIGTERM or SIGHUP while it waits on something no run-level
// handler covers (standard input that never ends, a key server that never answers the entropy
// request): exit 130, and with --json exactly one JSON document on stdout, ok false and code CANCELED.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import type { SettingsRepository } from '../../../main/settings';
import { FaultProxy } from '../../support/fault-proxy';
import { describeWithServices, requireServices } from '../../support/services';
import { configurePendingSettings, dataFolder, runCli } from '../eks/eks-fixtures';

const CLI_CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '../eks/cli-child.ts');

/** Children still running when a test ends (it failed before it stopped them): ended in afterEach. */
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** `kmip-console <args>` from source, its standard input a pipe left open, its output collected. */
function started(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_CHILD, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let [stdout, stderr] = ['', ''];
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/**
 * Whether process `pid` has a handler for SIGHUP (Linux: /proc/PID/status). The CLI handles SIGINT,
 * SIGTERM and SIGHUP from when a command starts; Node and tsx handle the first two on their own already.
 */
function catchesSighup(pid: number): boolean {
  const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return caught !== undefined && (BigInt(`0x${caught}`) & (1n << BigInt(constants.signals.SIGHUP - 1))) !== 0n;
}

/** What a canceled command leaves on stdout with --json: one document, and nothing else. */
function canceledDocument(signal: string) {
  return { ok: false, error: { code: 'CANCELED', message: `canceled by ${signal} before it finished.` } };
}

describe('kmip-console ttlv decode --json, reading a pipe that never ends', () => {
  it('ends on SIGTERM with 130 and one JSON document', async () => {
    const decode = started(['ttlv', 'decode', '--json']);
    decode.child.stdin?.write('42000d');
    await expect.poll(() => catchesSighup(decode.child.pid!), { timeout: 30_000 }).toBe(true);
    decode.child.kill('SIGTERM');
    expect(await decode.exited).toEqual({ code: ExitCode.Canceled, signal: null });
    expect(JSON.parse(decode.stdout())).toEqual(canceledDocument('SIGTERM'));
    expect(decode.stderr()).toBe('kmip-console ttlv: canceled by SIGTERM before it finished.\n');
  });
});

describeWithServices('kmip-console entropy --json, the key server silent (Timeout 0)', () => {
  let folder: Awaited<ReturnType<typeof dataFolder>>;
  let settings: SettingsRepository;
  let proxy: FaultProxy;

  beforeEach(async () => {
    folder = await dataFolder();
    settings = await configurePendingSettings(folder.dir);
    const { host, port } = requireServices();
    proxy = await FaultProxy.start({ upstreamHost: host, upstreamPort: port });
    await settings.saveField('port', proxy.port);
    await settings.saveField('timeout', 0);
    const applied = await runCli(['apply', '--data-dir', folder.dir]);
    expect(applied.code, applied.stderr).toBe(ExitCode.Ok);
    proxy.setMode('stall');
  });
  afterEach(async () => {
    await proxy.stop();
    await folder.remove();
  });

  it.each(['SIGTERM', 'SIGHUP'] as const)('ends on %s with 130 and one JSON document', async (signal) => {
    const requestsBefore = proxy.stats.requestsReceived;
    const entropy = started(['entropy', '--json', '--data-dir', folder.dir]);
    await expect.poll(entropy.stderr, { timeout: 30_000 }).toContain('entropy: asking');
    await expect.poll(() => proxy.stats.requestsReceived, { timeout: 30_000 }).toBeGreaterThan(requestsBefore);
    entropy.child.kill(signal);
    expect(await entropy.exited).toEqual({ code: ExitCode.Canceled, signal: null });
    expect(JSON.parse(entropy.stdout())).toEqual(canceledDocument(signal));
    expect(entropy.stderr()).toContain(`kmip-console entropy: canceled by ${signal} before it finished.\n`);
  });
});
