// A failed write to standard output: a closed pipe (`| head`) ends the CLI quietly, a full disk or an
// I/O error with one line on stderr and exit 74; never with Node's stack trace for an unhandled 'error'.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { endOnOutputErrors } from '../../../main/cli/output-errors';
import { SettingsRepository } from '../../../main/settings';
import { scratchDir } from '../../support/scratch-dirs';
import { MemorySecretStore } from '../settings/memory-secret-store';

/** The CLI from source in a child process, wired to its standard streams as bin/kmip-console.cjs wires the built one. */
const CLI_CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../integration/eks/cli-child.ts');
/** A Batch Count item: `ttlv decode` prints it as JSON, needing neither data folder nor keychain. */
const ITEM_HEX = '42000d02000000040000000100000000';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: write`), { code });
}

function guarded(): { stdout: PassThrough; stderr: PassThrough; exits: number[]; said(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let said = '';
  stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
  const exits: number[] = [];
  endOnOutputErrors(stdout, stderr, (code) => exits.push(code));
  return { stdout, stderr, exits, said: () => said };
}

/** Runs `kmip-console ttlv decode` with its standard output on `stdout`; resolves to its exit code and stderr. */
function decodeTo(stdout: 'pipe' | number, onStart?: (child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; stderr: string }> {
  return runTo(['ttlv', 'decode', ITEM_HEX], stdout, onStart);
}

/** Runs `kmip-console <args>` with its standard output on `stdout`; resolves to its exit code and stderr. */
function runTo(args: string[], stdout: 'pipe' | number, onStart?: (child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_CHILD, ...args], { stdio: ['ignore', stdout, 'pipe'] });
  onStart?.(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('endOnOutputErrors', () => {
  it('ends quietly with 141 when the reader of standard output went away (EPIPE)', () => {
    const streams = guarded();
    streams.stdout.emit('error', errno('EPIPE'));
    expect(streams.exits).toEqual([ExitCode.OutputClosed]);
    expect(streams.said()).toBe('');
  });

  it('says in one line that the disk is full, and ends with 74', () => {
    const streams = guarded();
    streams.stdout.emit('error', errno('ENOSPC'));
    expect(streams.exits).toEqual([ExitCode.OutputFailed]);
    expect(streams.said()).toBe(
      'kmip-console: could not write the output: the disk is full (or the quota used up). The command ran; only its output is lost: free space, or send it elsewhere.\n',
    );
  });

  it('names an I/O error, and ends with 74', () => {
    const streams = guarded();
    streams.stdout.emit('error', errno('EIO'));
    expect(streams.exits).toEqual([ExitCode.OutputFailed]);
    expect(streams.said()).toBe('kmip-console: could not write the output: an input/output error (EIO). The command ran; only its output is lost: send it elsewhere.\n');
  });

  it('lets a failed write to standard error pass: the run goes on', () => {
    const streams = guarded();
    streams.stderr.emit('error', errno('EIO'));
    expect(streams.exits).toEqual([]);
  });
});

describe('kmip-console with a standard output that fails', () => {
  it.runIf(existsSync('/dev/full'))('> /dev/full: one line on stderr and exit 74, no stack trace', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const { code, stderr } = await decodeTo(full);
      expect(code).toBe(ExitCode.OutputFailed);
      expect(stderr).toBe(
        'kmip-console: could not write the output: the disk is full (or the quota used up). The command ran; only its output is lost: free space, or send it elsewhere.\n',
      );
    } finally {
      closeSync(full);
    }
  });

  it.runIf(existsSync('/dev/full'))('settings export - > /dev/full: the export is not said to be written, exit 74', async () => {
    const dataDir = scratchDir('kmip-export-full-');
    await new SettingsRepository({ dataDir, secrets: new MemorySecretStore() }).saveField('serverName', 'Lab EKS');
    const full = openSync('/dev/full', 'w');
    try {
      const { code, stderr } = await runTo(['settings', 'export', '-', '--data-dir', dataDir], full);
      expect(code).toBe(ExitCode.OutputFailed);
      expect(stderr).not.toContain('exported');
      expect(stderr).toContain('could not write the output: the disk is full');
    } finally {
      closeSync(full);
    }
  });

  it('into a pipe closed by its reader (| head): exit 141 and nothing on stderr', async () => {
    // The read end is closed before the child, still starting, writes anything.
    const { code, stderr } = await decodeTo('pipe', (child) => child.stdout?.destroy());
    expect(stderr).toBe('');
    expect(code).toBe(ExitCode.OutputClosed);
  });
});
