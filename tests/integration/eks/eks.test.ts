// Test, Apply, entropy and Recovery against the real PyKMIP server and the real OS keychain.
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { StepReport } from '../../../common/ipc';
import { fetchEntropy, runApply, runRecover, runTest, recoveryState, storeInDataFolder } from '../../../main/eks';
import { KmipClient, ObjectType, Operation, ResultReason, ResultStatus } from '../../../main/kmip';
import { ObjectStore, readStoreHeader, storeFilePath, type LocalUnlockKeys } from '../../../main/store';
import { startKmipFaultProxy } from '../../support/fault-matrix';
import { NO_SYMMETRIC_KEY_REGISTER } from '../../support/fault-proxy';
import { describeWithServices, requireServices, startPykmipServer, type PykmipServer } from '../../support/services';
import { closedPort, dataFolder, eksOptions, failure, statuses, useApplyWorkspace } from './eks-fixtures';

describeWithServices('eks workflows against PyKMIP', () => {
  const workspace = useApplyWorkspace();
  const { unlockKeys, applyRequest } = workspace;

  describe('Test', () => {
    it('passes every step against PyKMIP and warns that RNG Retrieve is missing', async () => {
      const seen: StepReport[] = [];
      const report = await runTest(eksOptions(), (step) => seen.push(step));
      expect(report.ok).toBe(true);
      expect(statuses(report.steps)).toEqual({
        dns: 'pass',
        tcp: 'pass',
        tls: 'pass',
        negotiate: 'pass',
        query: 'pass',
        operations: 'warn',
        credentials: 'pass',
      });
      expect(report.tls).toMatchObject({ protocol: 'TLSv1.2', verified: true, pinned: null });
      expect(report.negotiatedVersion).toBe('2.0');
      expect(report.steps.find((s) => s.id === 'operations')?.detail).toContain('entropy source: unavailable on this server');
      expect(report.steps.every((s) => typeof s.ms === 'number')).toBe(true);
      // progress: each step reported running, then its result
      expect(seen.filter((s) => s.id === 'tls').map((s) => s.status)).toEqual(['running', 'pass']);
    });

    it('fails at TCP connect on a closed port, says why, and skips the rest', async () => {
      const closedAt = await closedPort();
      const report = await runTest(eksOptions({ port: closedAt }), () => undefined);
      expect(report.ok).toBe(false);
      expect(statuses(report.steps)).toMatchObject({ dns: 'pass', tcp: 'fail', tls: 'skipped', credentials: 'skipped' });
      const tcp = report.steps.find((s) => s.id === 'tcp')!;
      expect(tcp.detail).toMatch(/Nothing accepts connections/);
      expect(tcp.fix).toMatch(/Port/);
    });

    it('fails at the TLS handshake without the CA, with the fix', async () => {
      const options = eksOptions();
      const report = await runTest({ ...options, tls: { ...options.tls, caCerts: undefined } }, () => undefined);
      expect(statuses(report.steps)).toMatchObject({ tcp: 'pass', tls: 'fail', negotiate: 'skipped' });
      expect(report.steps.find((s) => s.id === 'tls')?.fix).toMatch(/CA Trusted Cert/);
    });

    it('warns when Verify is off, and reports a matching pin', async () => {
      const unverified = await runTest(eksOptions({ verify: false }), () => undefined);
      expect(unverified.ok).toBe(true);
      const tls = unverified.steps.find((s) => s.id === 'tls')!;
      expect(tls.status).toBe('warn');
      expect(tls.fix).toMatch(/Verify/);

      const options = eksOptions();
      const pinned = await runTest({ ...options, tls: { ...options.tls, pinnedServerCert: await readFile(requireServices().pki.serverCert) } }, () => undefined);
      expect(pinned.tls?.pinned).toBe(true);
      expect(pinned.steps.find((s) => s.id === 'tls')?.detail).toContain('pin matched');
    });

    it('fails at the version step when a version the server lacks is set', async () => {
      const report = await runTest(eksOptions({ protocol: '2.1' }), () => undefined);
      expect(report.ok).toBe(false);
      expect(report.steps.find((s) => s.status === 'fail')?.id).toBe('negotiate');
    });

    it('has no side effects on the server', async () => {
      const client = await KmipClient.connect(eksOptions());
      try {
        const before = (await client.locate({})).uniqueIdentifiers.length;
        await runTest(eksOptions(), () => undefined);
        expect((await client.locate({})).uniqueIdentifiers.length).toBe(before);
      } finally {
        await client.close();
      }
    });
  });

  describe('entropy', () => {
    it('reports that PyKMIP has no RNG Retrieve, and honours Disable Entropy Seed', async () => {
      const report = await fetchEntropy({ connection: eksOptions(), disabled: false });
      expect(report).toMatchObject({ status: 'unavailable', bytes: 0 });
      expect(report.detail).toContain('entropy source: unavailable on this server');
      expect((await fetchEntropy({ connection: eksOptions(), disabled: true })).status).toBe('disabled');
      expect((await fetchEntropy({ connection: null, disabled: false })).status).toBe('no-settings');
    });

    it('reports an unreachable key server without throwing', async () => {
      const closedAt = await closedPort();
      const report = await fetchEntropy({ connection: eksOptions({ port: closedAt }), disabled: false });
      expect(report.status).toBe('failed');
    });
  });

  describe('Apply', () => {
    it('creates the store with Admin Key generation 1, then 2, registered, active and readable on the server', async () => {
      const first = await runApply(applyRequest(), () => undefined);
      expect(first.adminKeyGeneration).toBe(1);
      expect(first.entropy).toBe('unavailable');
      expect(statuses(first.steps)).toEqual({
        'open-store': 'pass',
        connect: 'pass',
        entropy: 'warn',
        register: 'pass',
        activate: 'pass',
        verify: 'pass',
        store: 'pass',
        settings: 'pass',
      });
      expect(workspace.committed).toBe(1);
      const header = (await readStoreHeader(storeFilePath(workspace.dir))).header;
      expect(header.adminKey).toMatchObject({
        generation: 1,
        name: `kmip-console/${first.storeId}/admin-key/1`,
        uniqueIdentifier: first.adminKeyId,
        objectType: 'SymmetricKey',
      });
      expect(header.adminKey?.server.certFingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

      const store = await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys);
      await store.add({ name: 'kept', kind: 'secret', value: Buffer.from('across applies') });

      const second = await runApply(applyRequest({ disableEntropySeed: true }), () => undefined);
      expect(second).toMatchObject({ storeId: first.storeId, adminKeyGeneration: 2, entropy: 'disabled' });
      expect(second.steps.find((s) => s.id === 'entropy')?.status).toBe('skipped');
      const reopened = await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys);
      expect(reopened.get('kept').value.toString()).toBe('across applies');

      const client = await KmipClient.connect(eksOptions());
      try {
        const located = await client.locate({ name: second.adminKeyName });
        expect(located.uniqueIdentifiers).toEqual([second.adminKeyId]);
        const attributes = await client.getAttributes(second.adminKeyId, ['State']);
        expect(attributes.attributes.State).toEqual([2]); // Active
        // the old generation stays on the server
        expect((await client.locate({ name: first.adminKeyName })).uniqueIdentifiers).toEqual([first.adminKeyId]);
      } finally {
        await client.close();
      }
    });

    it('escrows the Admin Key as Secret Data with a server that refuses Symmetric Keys, and Recover gets it back from PyKMIP', async () => {
      // PyKMIP takes Symmetric Keys: the fault proxy refuses that Register, and relays the rest to PyKMIP.
      const proxy = await startKmipFaultProxy({ refuse: NO_SYMMETRIC_KEY_REGISTER });
      const applied = await runApply(applyRequest({ connection: eksOptions({ host: proxy.host, port: proxy.port }) }), () => undefined).finally(() =>
        proxy.stop(),
      );
      expect(statuses(applied.steps)).toMatchObject({ register: 'pass', activate: 'pass', verify: 'pass', store: 'pass', settings: 'pass' });
      expect(applied.steps.find((s) => s.id === 'register')?.detail).toContain('registered as SecretData');
      expect((await readStoreHeader(storeFilePath(workspace.dir))).header.adminKey).toMatchObject({ objectType: 'SecretData', uniqueIdentifier: applied.adminKeyId });

      const client = await KmipClient.connect(eksOptions());
      try {
        expect((await client.get(applied.adminKeyId)).objectType).toBe(ObjectType.SecretData);
      } finally {
        await client.close();
      }
      await unlockKeys.remove(applied.storeId);
      const recovered = await runRecover({ dataDir: workspace.dir, unlockKeys, connection: eksOptions(), source: { kind: 'store' } }, () => undefined);
      expect(recovered).toMatchObject({ storeId: applied.storeId, adminKeyGeneration: 1 });
      expect((await recoveryState(workspace.dir, unlockKeys, false)).state).toBe('ok');
    });

    it('a Register answered Operation Pending fails Apply with the store unchanged, and names the key the server may still create', async () => {
      await runApply(applyRequest(), () => undefined);
      const before = await readFile(storeFilePath(workspace.dir));
      const pending = { operation: Operation.Register, status: ResultStatus.OperationPending, reason: ResultReason.GeneralFailure, message: 'queued' };
      const proxy = await startKmipFaultProxy({ refuse: pending });
      const error = await failure(runApply(applyRequest({ connection: eksOptions({ host: proxy.host, port: proxy.port }) }), () => undefined)).finally(() => proxy.stop());
      expect(error.code).toBe('KMIP_OPERATION_PENDING');
      expect(error.message).toMatch(/The key server may hold Admin Key "kmip-console\/[-0-9a-f]+\/admin-key\/2" from this attempt, unused/);
      expect((await readFile(storeFilePath(workspace.dir))).equals(before)).toBe(true);
    });

    it('leaves store and settings as they were when the server is unreachable', async () => {
      await runApply(applyRequest(), () => undefined);
      const before = await readFile(storeFilePath(workspace.dir));
      const closedAt = await closedPort();
      const error = await failure(runApply(applyRequest({ connection: eksOptions({ port: closedAt }) }), () => undefined));
      expect(error.code).toBe('CONNECTION_REFUSED');
      expect(statuses(error.steps)).toMatchObject({ 'open-store': 'pass', connect: 'fail', register: 'skipped', settings: 'skipped' });
      expect((await readFile(storeFilePath(workspace.dir))).equals(before)).toBe(true);
      expect(workspace.committed).toBe(1);
    });

    it('puts the previous store back when applying the settings fails, and names the key left unused on the server', async () => {
      const first = await runApply(applyRequest(), () => undefined);
      const before = await readFile(storeFilePath(workspace.dir));
      const error = await failure(
        runApply(
          applyRequest({
            commitSettings: async () => {
              throw new Error('disk full');
            },
          }),
          () => undefined,
        ),
      );
      expect(error.steps.find((s) => s.id === 'settings')?.status).toBe('fail');
      expect((await readFile(storeFilePath(workspace.dir))).equals(before)).toBe(true);
      expect((await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys)).header.adminKey?.generation).toBe(1);
      const secondName = `kmip-console/${first.storeId}/admin-key/2`;
      const named = error.message.match(/"([^"]+)" \(unique identifier (\S+)\), stays on the key server unused/);
      expect(named?.[1]).toBe(secondName);
      const client = await KmipClient.connect(eksOptions());
      try {
        expect((await client.locate({ name: secondName })).uniqueIdentifiers).toEqual([named?.[2]]);
      } finally {
        await client.close();
      }
    });

    it('removes the new store and its local unlock when applying the settings of the first Apply fails', async () => {
      const saved: string[] = [];
      const recording: LocalUnlockKeys = {
        load: (id) => unlockKeys.load(id),
        save: async (id, key) => void (saved.push(id), await unlockKeys.save(id, key)),
        remove: (id) => unlockKeys.remove(id),
      };
      const error = await failure(
        runApply(
          applyRequest({
            unlockKeys: recording,
            commitSettings: async () => {
              throw new Error('disk full');
            },
          }),
          () => undefined,
        ),
      );
      expect(statuses(error.steps)).toMatchObject({ store: 'pass', settings: 'fail' });
      expect(await readdir(workspace.dir)).not.toContain(path.basename(storeFilePath(workspace.dir)));
      expect((await recoveryState(workspace.dir, unlockKeys, false)).state).toBe('no-store');
      expect(saved).toHaveLength(1);
      expect(await unlockKeys.load(saved[0] as string)).toBeNull();
    });

    it('warns, and says how to restore it, when the store of applied settings is missing; then starts a new store', async () => {
      const first = await runApply(applyRequest(), () => undefined);
      await rm(storeFilePath(workspace.dir));
      const again = await runApply({ ...applyRequest(), appliedBefore: true }, () => undefined);
      const openStore = again.steps.find((step) => step.id === 'open-store');
      expect(openStore).toMatchObject({ status: 'warn', detail: expect.stringMatching(/is missing, although settings were applied before/) });
      expect(openStore?.fix).toMatch(/restore it from a backup file/);
      expect(again.storeId).not.toBe(first.storeId);
      expect(again.adminKeyGeneration).toBe(1);
    });

    it('creates nothing locally when the first Apply fails', async () => {
      const closedAt = await closedPort();
      await failure(runApply(applyRequest({ connection: eksOptions({ port: closedAt }) }), () => undefined));
      expect((await recoveryState(workspace.dir, unlockKeys, false)).state).toBe('no-store');
    });
  });

  describe('Recovery', () => {
    it('re-creates a lost local unlock from the key server', async () => {
      const applied = await runApply(applyRequest(), () => undefined);
      const store = await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys);
      await store.add({ name: 'db', kind: 'secret', value: Buffer.from('s3cret') });
      await unlockKeys.remove(applied.storeId);
      expect(await recoveryState(workspace.dir, unlockKeys, false)).toMatchObject({ state: 'needs-recovery', storeId: applied.storeId, adminKeyGeneration: 1 });
      expect((await recoveryState(workspace.dir, unlockKeys, false)).damaged).toBeUndefined(); // recovery in place can help here

      const result = await runRecover({ dataDir: workspace.dir, unlockKeys, connection: eksOptions(), source: { kind: 'store' } }, () => undefined);
      expect(result).toMatchObject({ storeId: applied.storeId, adminKeyGeneration: 1, objectCount: 1 });
      expect(statuses(result.steps)).toEqual({ read: 'pass', connect: 'pass', locate: 'pass', unwrap: 'pass', relink: 'pass', settings: 'skipped' });
      expect((await recoveryState(workspace.dir, unlockKeys, false)).state).toBe('ok');
      expect((await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys)).get('db').value.toString()).toBe('s3cret');
    });

    it('recovers with an Admin Key the key server marks Compromised, and warns that it must be rotated', async () => {
      const applied = await runApply(applyRequest(), () => undefined);
      const client = await KmipClient.connect(eksOptions());
      try {
        await client.revoke(applied.adminKeyId, 'KeyCompromise', { compromiseOccurrenceDate: new Date(Date.now() - 60_000) });
      } finally {
        await client.close();
      }
      await unlockKeys.remove(applied.storeId);
      const result = await runRecover({ dataDir: workspace.dir, unlockKeys, connection: eksOptions(), source: { kind: 'store' } }, () => undefined);
      const locate = result.steps.find((s) => s.id === 'locate');
      expect(locate).toMatchObject({ status: 'warn', detail: expect.stringContaining('the key server marks it Compromised') });
      expect(locate?.fix).toMatch(/run Apply now to register a new generation.*treat the objects in the store as possibly exposed/);
      expect((await recoveryState(workspace.dir, unlockKeys, false)).state).toBe('ok');
    });

    it('restores a backup into a fresh data folder (a new machine)', async () => {
      await runApply(applyRequest(), () => undefined);
      const store = await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys);
      await store.generate({ name: 'wrapping-key', size: 32 });
      const key = store.get('wrapping-key').value;
      const backup = path.join(workspace.dir, 'store.backup');
      await store.exportBackup(backup);

      const machine = await dataFolder();
      try {
        const result = await runRecover(
          { dataDir: machine.dir, unlockKeys, connection: eksOptions(), source: { kind: 'backup', path: backup } },
          () => undefined,
        );
        expect(result.objectCount).toBe(1);
        const restored = await ObjectStore.open(storeFilePath(machine.dir), unlockKeys);
        expect(restored.kind).toBe('store');
        expect(restored.get('wrapping-key').value.equals(key)).toBe(true);
      } finally {
        await machine.remove();
      }
    });

    it('recovers an older backup after two further Applies', async () => {
      await runApply(applyRequest(), () => undefined);
      const store = await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys);
      await store.add({ name: 'v1', kind: 'secret', value: Buffer.from('from generation 1') });
      const oldBackup = path.join(workspace.dir, 'gen1.backup');
      await store.exportBackup(oldBackup);
      await runApply(applyRequest(), () => undefined);
      const third = await runApply(applyRequest(), () => undefined);
      expect(third.adminKeyGeneration).toBe(3);

      const machine = await dataFolder();
      try {
        const result = await runRecover(
          { dataDir: machine.dir, unlockKeys, connection: eksOptions(), source: { kind: 'backup', path: oldBackup } },
          () => undefined,
        );
        expect(result.adminKeyGeneration).toBe(1);
        expect((await ObjectStore.open(storeFilePath(machine.dir), unlockKeys)).get('v1').value.toString()).toBe('from generation 1');
        // Generations 2 and 3 of this store are already on the key server: Apply never reuses their Names.
        const next = await runApply({ ...applyRequest(), dataDir: machine.dir }, () => undefined);
        expect(next.adminKeyGeneration).toBe(4);
        expect(next.steps.find((step) => step.id === 'register')?.detail).toMatch(/\(the Names of generations 2 and 3 are taken on the key server\)/);
        const client = await KmipClient.connect(eksOptions());
        try {
          for (const generation of [2, 3, 4]) {
            expect((await client.locate({ name: next.adminKeyName.replace(/\d+$/, String(generation)) })).uniqueIdentifiers).toHaveLength(1);
          }
        } finally {
          await client.close();
        }
      } finally {
        await machine.remove();
      }
    });

    describe('errors', () => {
      let backup: string;
      let otherServer: PykmipServer | undefined;

      beforeEach(async () => {
        await runApply(applyRequest(), () => undefined);
        backup = path.join(workspace.dir, 'store.backup');
        await (await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys)).exportBackup(backup);
      });
      afterAll(async () => {
        await otherServer?.stop();
      });

      async function recoverInto(dir: string, overrides: Partial<Parameters<typeof runRecover>[0]> = {}) {
        return runRecover({ dataDir: dir, unlockKeys, connection: eksOptions(), source: { kind: 'backup', path: backup }, ...overrides }, () => undefined);
      }

      it('says the key is not on a server that never held it', async () => {
        otherServer ??= await startPykmipServer();
        const machine = await dataFolder();
        try {
          const error = await failure(recoverInto(machine.dir, { connection: eksOptions({ port: otherServer.port }) }));
          expect(error.code).toBe('ADMIN_KEY_NOT_FOUND');
          expect(error.message).toMatch(/No Admin Key of this backup on this key server: /);
          expect(error.message).toContain(`registered on 127.0.0.1:${eksOptions().port}`);
          expect(statuses(error.steps)).toMatchObject({ connect: 'pass', locate: 'fail', relink: 'skipped' });
          expect((await recoveryState(machine.dir, unlockKeys, false)).state).toBe('no-store');
        } finally {
          await machine.remove();
        }
      });

      it('says the key is not visible to another client identity', async () => {
        const machine = await dataFolder();
        try {
          const error = await failure(recoverInto(machine.dir, { connection: eksOptions({ identity: 'client2' }) }));
          expect(error.code).toBe('ADMIN_KEY_NOT_FOUND');
        } finally {
          await machine.remove();
        }
      });

      it('says when the server is unreachable', async () => {
        const closedAt = await closedPort();
        const machine = await dataFolder();
        try {
          const error = await failure(recoverInto(machine.dir, { connection: eksOptions({ port: closedAt }) }));
          expect(error.code).toBe('CONNECTION_REFUSED');
          expect(error.steps.find((s) => s.id === 'connect')?.status).toBe('fail');
        } finally {
          await machine.remove();
        }
      });

      it('refuses to replace another store in the data folder unless asked', async () => {
        const machine = await dataFolder();
        try {
          await runApply({ ...applyRequest(), dataDir: machine.dir }, () => undefined);
          const error = await failure(recoverInto(machine.dir));
          expect(error.code).toBe('BACKUP_OF_OTHER_STORE');
          await recoverInto(machine.dir, { replaceStore: true });
          expect((await readStoreHeader(storeFilePath(machine.dir))).header.storeId).toBe((await readStoreHeader(backup)).header.storeId);
        } finally {
          await machine.remove();
        }
      });

      it('refuses to put a backup in place of the store it was made of unless asked, and leaves the store as it was', async () => {
        await (await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys)).add({ name: 'after-backup', kind: 'secret', value: Buffer.from('newer') });
        const before = await readFile(storeFilePath(workspace.dir));
        const error = await failure(recoverInto(workspace.dir));
        expect(error.code).toBe('BACKUP_REPLACES_STORE');
        expect(statuses(error.steps)).toMatchObject({ read: 'fail', connect: 'skipped' });
        expect((await readFile(storeFilePath(workspace.dir))).equals(before)).toBe(true);
        await recoverInto(workspace.dir, { replaceStore: true });
        expect((await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys)).list().map((o) => o.name)).not.toContain('after-backup');
      });

      it('restores a backup over a damaged store once replacing it is confirmed; recovery in place only points at a backup', async () => {
        await writeFile(storeFilePath(workspace.dir), '');
        const inPlace = await failure(runRecover({ dataDir: workspace.dir, unlockKeys, connection: eksOptions(), source: { kind: 'store' } }, () => undefined));
        expect(inPlace.code).toBe('STORE_TAMPERED');
        expect(inPlace.steps.find((s) => s.status === 'fail')?.fix).toMatch(/^Restore \S*store\.kcs from a backup file: .*--replace.*cannot repair/);
        // The recovery screen offers only the backup: recovery in place reads the damaged file.
        expect(await recoveryState(workspace.dir, unlockKeys, true)).toMatchObject({ state: 'needs-recovery', cause: 'STORE_TAMPERED', damaged: true });
        // The way out stays open: the damaged store is described, not thrown, and a confirmed restore replaces it.
        expect(await storeInDataFolder(workspace.dir)).toEqual({ damaged: true, problem: expect.stringMatching(/is empty/) });
        const unconfirmed = await failure(recoverInto(workspace.dir));
        expect(unconfirmed.code).toBe('BACKUP_REPLACES_STORE');
        expect(unconfirmed.message).toMatch(/is damaged/);
        await recoverInto(workspace.dir, { replaceStore: true });
        expect((await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys)).header.storeId).toBe((await readStoreHeader(backup)).header.storeId);
      });

      it('detects a tampered or truncated backup, and points at another copy of it rather than at "a backup"', async () => {
        const bytes = await readFile(backup);
        // A header field changed: the file no longer reads. The MAC changed: it reads, and does not verify.
        const flipped = Buffer.from(bytes);
        const at = flipped.indexOf('"objects"') - 5;
        flipped[at] = flipped[at]! ^ 0x01;
        const tampered = path.join(workspace.dir, 'tampered.backup');
        await writeFile(tampered, flipped);
        const wrongMac = Buffer.from(bytes);
        const macAt = wrongMac.lastIndexOf(0x0a, wrongMac.length - 2) + 'hmac-sha256:'.length + 8;
        wrongMac[macAt] = wrongMac[macAt] === 0x41 ? 0x42 : 0x41; // another base64 digit
        const macChanged = path.join(workspace.dir, 'mac-changed.backup');
        await writeFile(macChanged, wrongMac);
        const truncated = path.join(workspace.dir, 'truncated.backup');
        await writeFile(truncated, bytes.subarray(0, bytes.length - 20));
        const machine = await dataFolder();
        try {
          for (const [file, failedStep] of [[tampered, 'read'], [macChanged, 'unwrap'], [truncated, 'read']] as const) {
            const error = await failure(recoverInto(machine.dir, { source: { kind: 'backup', path: file } }));
            expect(error.code).toBe('BACKUP_DAMAGED');
            const step = error.steps.find((s) => s.status === 'fail');
            expect(step?.id).toBe(failedStep);
            expect(step?.detail).toBe(`The backup file ${file} is damaged or was changed since it was made: it does not verify. Nothing was restored.`);
            expect(step?.fix).toMatch(/^Use another copy of this backup/);
            await expect(readStoreHeader(storeFilePath(machine.dir))).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
          }
        } finally {
          await machine.remove();
        }
      });
    });
  });
});
