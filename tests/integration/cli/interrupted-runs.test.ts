// The CLI stopped from outside, against PyKMIP: SIGTERM and SIGHUP cancel an Apply as Ctrl-C does;
// an Apply killed between writing the store and applying its settings is what `status` then reports
// (exit 1, run apply again); and `store generate` says which key server it waits on for entropy.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import type { SettingsRepository } from '../../../main/settings';
import { storeFilePath } from '../../../main/store';
import { FaultProxy } from '../../support/fault-proxy';
import { describeWithServices, requireServices } from '../../support/services';
import { configurePendingSettings, dataFolder, runCli, spawnCli, startCountingRelay } from '../eks/eks-fixtures';

/** Children still running when a test ends (it failed before it stopped them): ended in afterEach. */
const children: ChildProcess[] = [];

/** A child `kmip-console` with its stderr collected, and its exit. */
function started(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawnCli(args, env);
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, stderr: () => stderr };
}

describeWithServices('kmip-console stopped from outside', () => {
  let folder: Awaited<ReturnType<typeof dataFolder>>;
  let settings: SettingsRepository;
  const cli = (args: string[]) => runCli([...args, '--data-dir', folder.dir]);

  beforeEach(async () => {
    folder = await dataFolder();
    settings = await configurePendingSettings(folder.dir);
    const applied = await cli(['apply']);
    expect(applied.code, applied.stderr).toBe(ExitCode.Ok);
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await folder.remove();
  });

  it.each(['SIGTERM', 'SIGHUP'] as const)('%s during apply cancels it as Ctrl-C does: exit 130, store and applied settings as they were', async (signal) => {
    const { host, port } = requireServices();
    const proxy = await FaultProxy.start({ upstreamHost: host, upstreamPort: port, mode: 'stall' });
    try {
      const applied = await settings.loadApplied();
      const before = await readFile(storeFilePath(folder.dir));
      await settings.saveField('port', proxy.port);
      await settings.saveField('timeout', 0);
      const apply = started(['apply', '--data-dir', folder.dir]);
      await expect.poll(() => proxy.stats.requestsReceived, { timeout: 30_000 }).toBeGreaterThan(0);
      apply.child.kill(signal);
      expect(await apply.exited).toEqual({ code: ExitCode.Canceled, signal: null });
      expect(apply.stderr()).toContain(`kmip-console apply: ${signal} received: canceling at the step in progress (another Ctrl-C or signal quits at once)`);
      expect(apply.stderr()).toMatch(/Apply canceled by the operator\. Nothing was changed here/);
      expect((await readFile(storeFilePath(folder.dir))).equals(before)).toBe(true);
      expect(await settings.loadApplied()).toEqual(applied);
    } finally {
      await proxy.stop();
    }
  });

  it('status exits 1 and says to run apply again after an Apply killed between writing the store and applying its settings', async () => {
    const relay = await startCountingRelay();
    try {
      expect((await cli(['status'])).code).toBe(ExitCode.Ok);
      await settings.saveField('port', relay.port);
      // Killed (a second Ctrl-C, SIGKILL) once the new header is in place, before the settings are applied.
      const marker = path.join(folder.dir, 'paused');
      const apply = started(['apply', '--data-dir', folder.dir], { KMIP_CONSOLE_TEST_PAUSE_AT: 'header-written', KMIP_CONSOLE_TEST_PAUSE_MARKER: marker });
      await expect.poll(() => existsSync(marker), { timeout: 60_000 }).toBe(true);
      apply.child.kill('SIGKILL');
      await apply.exited;

      const { host, port } = requireServices();
      const status = await cli(['status']);
      expect(status.code).toBe(ExitCode.Failed);
      expect(status.stdout).toContain(
        `warning: the store's Admin Key (generation 2) is on ${host}:${relay.port}, but the applied settings connect to ${host}:${port}, the pending settings' server: an Apply did not finish`,
      );
      expect(status.stdout).toContain('Run `kmip-console apply` again, so that the store and the applied settings name the same key server.');

      const again = await cli(['apply']);
      expect(again.code, again.stderr).toBe(ExitCode.Ok);
      const after = await cli(['status']);
      expect(after.code, after.stdout).toBe(ExitCode.Ok);
      expect(after.stdout).not.toContain('warning');
    } finally {
      relay.close();
    }
  });

  it('store generate says which key server it asks for entropy, and that Ctrl-C stops it, before waiting (Timeout 0)', async () => {
    const { host, port } = requireServices();
    const proxy = await FaultProxy.start({ upstreamHost: host, upstreamPort: port });
    try {
      await settings.saveField('port', proxy.port);
      await settings.saveField('timeout', 0);
      expect((await cli(['apply'])).code).toBe(ExitCode.Ok);
      proxy.setMode('stall');
      const requestsBefore = proxy.stats.requestsReceived;
      const generate = started(['store', 'generate', 'g0', '--data-dir', folder.dir]);
      await expect
        .poll(generate.stderr, { timeout: 30_000 })
        .toBe(`entropy: asking ${host}:${proxy.port} for entropy (Timeout 0: no time limit)… Ctrl-C to stop; nothing is stored yet.\n`);
      await expect.poll(() => proxy.stats.requestsReceived, { timeout: 30_000 }).toBeGreaterThan(requestsBefore);
      generate.child.kill('SIGINT');
      // No run to stop at a step: the command ends at once, exit 130 as for every canceled command.
      expect(await generate.exited).toEqual({ code: ExitCode.Canceled, signal: null });
      expect(JSON.parse((await cli(['store', 'list', '--json'])).stdout)).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });
});
