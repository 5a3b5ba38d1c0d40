// Canceling Test, Apply and Recover (the run dialog's Cancel button, Ctrl-C in the CLI), against the
// real PyKMIP server and keychain, and a server that never answers (Timeout 0 waits for ever).
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { StepReport } from '../../../common/ipc';
import { RunCancel, runApply, runRecover, runTest, recoveryState } from '../../../main/eks';
import { KmipClient, Operation } from '../../../main/kmip';
import { ObjectStore, readStoreHeader, storeFilePath } from '../../../main/store';
import { startKmipFaultProxy } from '../../support/fault-matrix';
import { describeWithServices } from '../../support/services';
import { startSilentTcpServer } from '../../support/transport-fixtures';
import { configurePendingSettings, eksOptions, failure, runCli, spawnCli, startCountingRelay, statuses, useApplyWorkspace } from './eks-fixtures';

/** A step listener that requests `cancel` when step `id` reaches `status` (and records the answer). */
function cancelWhen(cancel: RunCancel, id: string, status: StepReport['status'], answers: boolean[] = []): (step: StepReport) => void {
  return (step) => {
    if (step.id === id && step.status === status) answers.push(cancel.request());
  };
}

describeWithServices('canceling a run', () => {
  const workspace = useApplyWorkspace();
  const { unlockKeys, applyRequest } = workspace;

  describe('Test', () => {
    it('stops at the step in progress (Timeout 0, a server that never speaks TLS), and closes its connections', async () => {
      const silent = await startSilentTcpServer();
      try {
        const cancel = new RunCancel();
        const started = performance.now();
        const report = await runTest(
          eksOptions({ port: silent.port, timeoutMs: 0 }),
          (step) => step.id === 'tls' && step.status === 'running' && setTimeout(() => cancel.request(), 200),
          cancel,
        );
        expect(performance.now() - started).toBeLessThan(2000);
        expect(report.ok).toBe(false);
        expect(statuses(report.steps)).toMatchObject({ dns: 'pass', tcp: 'pass', tls: 'fail', negotiate: 'skipped', credentials: 'skipped' });
        expect(report.steps.find((s) => s.id === 'tls')).toMatchObject({
          detail: expect.stringContaining('Test canceled by the operator'),
          fix: expect.stringContaining('Nothing was changed'),
        });
        expect(silent.accepted()).toBe(2); // the TCP probe and the TLS step
        await expect.poll(() => silent.open(), { timeout: 2000 }).toBe(0);
      } finally {
        await silent.close();
      }
    });

    it('canceled between two steps, starts no further step, and leaves no connection open', async () => {
      const relay = await startCountingRelay();
      try {
        const cancel = new RunCancel();
        const report = await runTest(eksOptions({ port: relay.port }), cancelWhen(cancel, 'tls', 'pass'), cancel);
        expect(statuses(report.steps)).toMatchObject({ tls: 'pass', negotiate: 'fail', query: 'skipped' });
        expect(report.steps.find((s) => s.id === 'negotiate')?.detail).toContain('Test canceled by the operator');
        await delay(500); // time for a step that should not have started to connect
        expect(relay.accepted()).toBe(2); // the TCP probe and the TLS step; Discover Versions never connected
        await expect.poll(() => relay.open(), { timeout: 2000 }).toBe(0);
      } finally {
        relay.close();
      }
    });
  });

  describe('Apply', () => {
    it('stops while connecting to a server that never answers (Timeout 0); nothing is created, the connection is closed', async () => {
      const silent = await startSilentTcpServer();
      try {
        const cancel = new RunCancel();
        const started = performance.now();
        const error = await failure(
          runApply(
            applyRequest({ connection: eksOptions({ port: silent.port, timeoutMs: 0 }) }),
            (step) => step.id === 'connect' && step.status === 'running' && setTimeout(() => cancel.request(), 200),
            cancel,
          ),
        );
        expect(performance.now() - started).toBeLessThan(2000);
        expect(error.code).toBe('APPLY_CANCELED');
        expect(error.message).toContain('Nothing was changed here: the applied settings and the store are as they were.');
        expect(error.message).not.toContain('may hold'); // nothing was registered
        expect(statuses(error.steps)).toMatchObject({ 'open-store': 'pass', connect: 'fail', register: 'skipped', store: 'skipped', settings: 'skipped' });
        expect(workspace.committed).toBe(0);
        expect((await recoveryState(workspace.dir, unlockKeys, false)).state).toBe('no-store');
        await expect.poll(() => silent.open(), { timeout: 2000 }).toBe(0);
      } finally {
        await silent.close();
      }
    });

    it('canceled after Register: the store and settings stay as they were, and the message names the key left on the server', async () => {
      await runApply(applyRequest(), () => undefined);
      const before = await readFile(storeFilePath(workspace.dir));
      const relay = await startCountingRelay();
      try {
        const cancel = new RunCancel();
        const error = await failure(runApply(applyRequest({ connection: eksOptions({ port: relay.port }) }), cancelWhen(cancel, 'register', 'pass'), cancel));
        expect(error.code).toBe('APPLY_CANCELED');
        expect(statuses(error.steps)).toMatchObject({ register: 'pass', activate: 'fail', verify: 'skipped', store: 'skipped', settings: 'skipped' });
        const header = (await readStoreHeader(storeFilePath(workspace.dir))).header;
        const attemptName = `kmip-console/${header.storeId}/admin-key/2`;
        expect(error.message).toContain(`The key server may hold Admin Key "${attemptName}" from this attempt`);
        expect((await readFile(storeFilePath(workspace.dir))).equals(before)).toBe(true);
        expect(workspace.committed).toBe(1);
        await expect.poll(() => relay.open(), { timeout: 2000 }).toBe(0);
        // What the message says is so: the key of this attempt is on the server, and the store opens without it.
        const client = await KmipClient.connect(eksOptions());
        try {
          expect((await client.locate({ name: attemptName })).uniqueIdentifiers).toHaveLength(1);
        } finally {
          await client.close();
        }
        expect((await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys)).header.adminKey?.generation).toBe(1);
      } finally {
        relay.close();
      }
    });

    it('canceled while Register waits for an answer that never comes (Timeout 0): stops, and opens no connection to look the key up', async () => {
      const proxy = await startKmipFaultProxy();
      try {
        const cancel = new RunCancel();
        const error = await failure(
          runApply(
            applyRequest({ connection: eksOptions({ host: proxy.host, port: proxy.port, timeoutMs: 0 }) }),
            (step) => {
              if (step.id !== 'register' || step.status !== 'running') return;
              // Register reaches PyKMIP, and its answer is never forwarded (the step's Locates pass).
              proxy.setMode('stall', { operation: Operation.Register });
              setTimeout(() => cancel.request(), 300);
            },
            cancel,
          ),
        );
        expect(error.code).toBe('APPLY_CANCELED');
        expect(statuses(error.steps)).toMatchObject({ register: 'fail', activate: 'skipped', store: 'skipped' });
        expect(error.message).toMatch(/The key server may hold Admin Key "kmip-console\/[0-9a-f-]+\/admin-key\/1" from this attempt/);
        expect(proxy.stats.faults.stall).toBe(1);
        // A dropped Register is normally followed by a Locate on a new connection; after a cancel it must not be.
        await delay(500);
        expect(proxy.stats.connections).toBe(1);
        expect(workspace.committed).toBe(0);
        expect((await recoveryState(workspace.dir, unlockKeys, false)).state).toBe('no-store');
      } finally {
        await proxy.stop();
      }
    });

    it('canceled between the read-back and the header write: the header is not written', async () => {
      await runApply(applyRequest(), () => undefined);
      const before = await readFile(storeFilePath(workspace.dir));
      const cancel = new RunCancel();
      const error = await failure(runApply(applyRequest(), cancelWhen(cancel, 'verify', 'pass'), cancel));
      expect(error.code).toBe('APPLY_CANCELED');
      expect(statuses(error.steps)).toMatchObject({ verify: 'pass', store: 'fail', settings: 'skipped' });
      expect((await readFile(storeFilePath(workspace.dir))).equals(before)).toBe(true);
      expect(workspace.committed).toBe(1);
    });

    it('refuses a cancel once the header is being written, and finishes', async () => {
      await runApply(applyRequest(), () => undefined);
      const cancel = new RunCancel();
      const answers: boolean[] = [];
      const outcome = await runApply(applyRequest(), cancelWhen(cancel, 'store', 'running', answers), cancel);
      expect(answers).toEqual([false]);
      expect(outcome.adminKeyGeneration).toBe(2);
      expect(statuses(outcome.steps)).toMatchObject({ store: 'pass', settings: 'pass' });
      expect(workspace.committed).toBe(2);
      expect((await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys)).header.adminKey?.generation).toBe(2);
    });
  });

  describe('Recover', () => {
    async function storeWithLostUnlock(): Promise<Buffer> {
      const applied = await runApply(applyRequest(), () => undefined);
      await unlockKeys.remove(applied.storeId);
      return readFile(storeFilePath(workspace.dir));
    }

    it('canceled before Locate: the store still needs recovery and is unchanged', async () => {
      const before = await storeWithLostUnlock();
      const cancel = new RunCancel();
      const error = await failure(
        runRecover({ dataDir: workspace.dir, unlockKeys, connection: eksOptions(), source: { kind: 'store' } }, cancelWhen(cancel, 'locate', 'running'), cancel),
      );
      expect(error.code).toBe('RECOVER_CANCELED');
      expect(error.message).toContain('Nothing was changed: the store, the OS keychain and the applied settings are as they were.');
      expect(statuses(error.steps)).toMatchObject({ connect: 'pass', locate: 'fail', unwrap: 'skipped', relink: 'skipped' });
      expect((await recoveryState(workspace.dir, unlockKeys, false)).state).toBe('needs-recovery');
      expect((await readFile(storeFilePath(workspace.dir))).equals(before)).toBe(true);
    });

    it('stops while connecting to a server that never answers (Timeout 0)', async () => {
      await storeWithLostUnlock();
      const silent = await startSilentTcpServer();
      try {
        const cancel = new RunCancel();
        const error = await failure(
          runRecover(
            { dataDir: workspace.dir, unlockKeys, connection: eksOptions({ port: silent.port, timeoutMs: 0 }), source: { kind: 'store' } },
            (step) => step.id === 'connect' && step.status === 'running' && setTimeout(() => cancel.request(), 200),
            cancel,
          ),
        );
        expect(error.code).toBe('RECOVER_CANCELED');
        expect(statuses(error.steps)).toMatchObject({ read: 'pass', connect: 'fail', locate: 'skipped' });
        await expect.poll(() => silent.open(), { timeout: 2000 }).toBe(0);
      } finally {
        await silent.close();
      }
    });

    it('refuses a cancel once the local unlock is being re-created, and finishes', async () => {
      await storeWithLostUnlock();
      const cancel = new RunCancel();
      const answers: boolean[] = [];
      const result = await runRecover(
        { dataDir: workspace.dir, unlockKeys, connection: eksOptions(), source: { kind: 'store' } },
        cancelWhen(cancel, 'relink', 'running', answers),
        cancel,
      );
      expect(answers).toEqual([false]);
      expect(statuses(result.steps)).toMatchObject({ relink: 'pass' });
      expect((await recoveryState(workspace.dir, unlockKeys, false)).state).toBe('ok');
    });
  });

  describe('CLI', () => {
    it('Ctrl-C during apply (Timeout 0, a server that never answers) stops it: exit 130, store and applied settings as they were', async () => {
      const settings = await configurePendingSettings(workspace.dir);
      expect((await runCli(['apply', '--data-dir', workspace.dir])).code).toBe(0);
      const applied = await settings.loadApplied();
      const before = await readFile(storeFilePath(workspace.dir));
      const silent = await startSilentTcpServer();
      try {
        await settings.saveField('port', silent.port);
        await settings.saveField('timeout', 0);
        const child = spawnCli(['apply', '--data-dir', workspace.dir]);
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        await expect.poll(() => stderr, { timeout: 30_000 }).toContain('Open the object store');
        await expect.poll(() => silent.accepted(), { timeout: 10_000 }).toBe(1);
        child.kill('SIGINT');
        expect(await exited).toBe(130);
        expect(stderr).toContain('kmip-console apply: canceling at the step in progress (Ctrl-C again quits at once)');
        expect(stderr).toMatch(/\[FAIL\] Connect and negotiate .*Apply canceled by the operator\. Nothing was changed here/);
        expect((await readFile(storeFilePath(workspace.dir))).equals(before)).toBe(true);
        expect(await settings.loadApplied()).toEqual(applied);
        expect(silent.open()).toBe(0);
      } finally {
        await silent.close();
      }
    });
  });
});
