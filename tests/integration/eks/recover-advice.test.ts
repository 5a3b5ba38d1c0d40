// What Recover says, and advises, when it cannot help as asked (x1 findings F3–F6 of round s18): a key
// server that holds an unrelated object under the Admin Key's unique identifier, an Admin Key destroyed
// on the key server, a damaged store file in the data folder, and a data folder with no store at all.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { exitCodeForErrorCode } from '../../../main/cli/output';
import { ExitCode } from '../../../main/cli/exit-codes';
import { EksError, recoveryState, runApply, runRecover, storeInDataFolder, type RecoverRequest } from '../../../main/eks';
import { KmipClient } from '../../../main/kmip';
import { ObjectStore, readStoreHeader, storeFilePath } from '../../../main/store';
import { describeWithServices, startPykmipServer, type PykmipServer } from '../../support/services';
import { dataFolder, eksOptions, failure, useApplyWorkspace } from './eks-fixtures';

/** The failed step's fix. */
function failedFix(error: EksError): string {
  return error.steps.find((step) => step.status === 'fail')?.fix ?? '';
}

/** The failed step's detail: the message without the step's label in front. */
function failedDetail(error: EksError): string {
  return error.steps.find((step) => step.status === 'fail')?.detail ?? '';
}

describeWithServices('Recover: what it says when it cannot help as asked', () => {
  const workspace = useApplyWorkspace();
  const { unlockKeys, applyRequest } = workspace;
  let storeId: string;
  let adminKeyId: string;
  let backup: string;

  beforeEach(async () => {
    const applied = await runApply(applyRequest(), () => undefined);
    storeId = applied.storeId;
    adminKeyId = applied.adminKeyId;
    const store = await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys);
    await store.add({ name: 'db', kind: 'secret', value: Buffer.from('s3cret') });
    backup = path.join(workspace.dir, 'store.backup');
    await store.exportBackup(backup);
  });

  function recover(overrides: Partial<RecoverRequest> = {}) {
    return runRecover({ dataDir: workspace.dir, unlockKeys, connection: eksOptions(), source: { kind: 'store' }, ...overrides }, () => undefined);
  }

  describe('F3: another key server, which holds an unrelated object under the recorded unique identifier', () => {
    let other: PykmipServer | undefined;
    afterAll(async () => {
      await other?.stop();
    });

    /** A second PyKMIP server on which `adminKeyId` names some other key (its ids are a counter, as on the first one). */
    async function serverWithUnrelatedKeyAtTheSameId(): Promise<PykmipServer> {
      other ??= await startPykmipServer();
      const client = await KmipClient.connect(eksOptions({ port: other.port }));
      try {
        // PyKMIP numbers objects 1, 2, …: as many Registers as the first server's count, which other test files raise.
        for (let i = 0; i <= Number(adminKeyId); i += 1) {
          const { uniqueIdentifier } = await client.registerSymmetricKey({ key: randomBytes(32) });
          if (uniqueIdentifier === adminKeyId) return other;
        }
      } finally {
        await client.close();
      }
      throw new Error(`the second server never reached unique identifier ${adminKeyId}`);
    }

    it('says, for an in-place recovery, that this server holds no Admin Key of this store, without speaking of a backup', async () => {
      const server = await serverWithUnrelatedKeyAtTheSameId();
      await unlockKeys.remove(storeId);
      const error = await failure(recover({ connection: eksOptions({ port: server.port }) }));
      expect(error.code).toBe('ADMIN_KEY_NOT_FOUND');
      expect(failedDetail(error)).toMatch(/^No Admin Key of this store on this key server: /);
      expect(failedDetail(error)).toContain(`what it holds under unique identifier ${adminKeyId} is another key, which does not open this store`);
      expect(failedDetail(error)).toContain(`The key was registered on 127.0.0.1:${eksOptions().port}: connect to that server`);
      expect(failedDetail(error)).not.toMatch(/backup|object\(s\)/);
      expect(failedFix(error)).toContain(`server 127.0.0.1:${eksOptions().port}`);
    });

    it('says the same of a backup restored with the settings of another server', async () => {
      const server = await serverWithUnrelatedKeyAtTheSameId();
      const machine = await dataFolder();
      try {
        const error = await failure(recover({ dataDir: machine.dir, connection: eksOptions({ port: server.port }), source: { kind: 'backup', path: backup } }));
        expect(error.code).toBe('ADMIN_KEY_NOT_FOUND');
        expect(failedDetail(error)).toMatch(/^No Admin Key of this backup on this key server: /);
        expect(failedDetail(error)).toContain('is another key, which does not open this backup');
        expect(failedDetail(error)).not.toMatch(/made with a different store/);
      } finally {
        await machine.remove();
      }
    });
  });

  describe('F4: the Admin Key destroyed on the key server it was registered on', () => {
    async function destroyAdminKey(): Promise<void> {
      const client = await KmipClient.connect(eksOptions());
      try {
        await client.revoke(adminKeyId, 'CessationOfOperation');
        await client.destroy(adminKeyId);
      } finally {
        await client.close();
      }
    }

    it('says the key may be gone from that server, what to check there, and that only a backup of a generation still there helps', async () => {
      await destroyAdminKey();
      await unlockKeys.remove(storeId);
      const error = await failure(recover());
      expect(error.code).toBe('ADMIN_KEY_NOT_FOUND');
      expect(failedDetail(error)).toContain(`it shows no key under unique identifier ${adminKeyId}`);
      expect(failedDetail(error)).toContain('This is the address the key was registered on.');
      expect(failedDetail(error)).toMatch(/either the key is no longer there \(destroyed, or revoked and removed, on the key server\), or this client identity cannot see it/);
      expect(failedDetail(error)).not.toMatch(/Connect to that server/);
      const fix = failedFix(error);
      expect(fix).toMatch(/^Check on the key server .*whether an object named "kmip-console\/.*\/admin-key\/1" or with unique identifier/);
      expect(fix).toMatch(/If it was destroyed, this store cannot be recovered from the key server: restore a backup whose Admin Key generation is still on the key server \(kmip-console recover --backup FILE --replace/);
    });

    it('for a backup of that generation, points at another backup rather than at itself', async () => {
      await destroyAdminKey();
      const machine = await dataFolder();
      try {
        const error = await failure(recover({ dataDir: machine.dir, source: { kind: 'backup', path: backup } }));
        expect(error.code).toBe('ADMIN_KEY_NOT_FOUND');
        expect(failedFix(error)).toMatch(/this backup cannot be recovered from the key server: use another backup, one whose Admin Key generation is still on the key server/);
      } finally {
        await machine.remove();
      }
    });

    it("Apply's advice to recover first also names the way out when recovery cannot find the key", async () => {
      await unlockKeys.remove(storeId);
      const error = await failure(runApply(applyRequest(), () => undefined));
      expect(error.code).toBe('STORE_NEEDS_RECOVERY');
      expect(failedFix(error)).toMatch(/If recovery finds no Admin Key of this store on the key server, restore a backup whose Admin Key generation is still there/);
    });
  });

  describe('F5: a damaged store file in the data folder', () => {
    const storePath = () => storeFilePath(workspace.dir);
    const fromBackup = (replaceStore = false) => recover({ source: { kind: 'backup', path: backup }, replaceStore });

    async function expectRestoredByConfirmedBackup(): Promise<void> {
      await fromBackup(true);
      expect((await ObjectStore.open(storePath(), unlockKeys)).get('db').value.toString()).toBe('s3cret');
    }

    it('MAC damage: a backup restore without confirming says the store is damaged, and never suggests recovering it in place', async () => {
      const bytes = await readFile(storePath());
      const at = bytes.indexOf('"ciphertext":"', bytes.indexOf('"objects"')) + 15;
      bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
      await writeFile(storePath(), bytes);
      const inPlace = await failure(recover());
      expect(inPlace.code).toBe('STORE_TAMPERED');
      expect(failedFix(inPlace)).toBe(
        `Restore ${storePath()} from a backup file: kmip-console recover --backup FILE --replace (or store restore FILE --replace), ` +
          'or System Recovery Options → Restore from a backup file. Recovery from the key server reads this same file, and cannot repair it.',
      );
      const unconfirmed = await failure(fromBackup());
      expect(unconfirmed.code).toBe('BACKUP_REPLACES_STORE');
      expect(failedDetail(unconfirmed)).toMatch(/^The store in the data folder is damaged: .*the MAC does not verify/);
      expect(failedDetail(unconfirmed)).not.toMatch(/Recover the store in place instead/);
      expect(failedFix(unconfirmed)).toBe(`Confirm replacing the damaged ${storePath()} with the backup (--replace, or the checkbox in System Recovery Options).`);
      await expectRestoredByConfirmedBackup();
    });

    it('empty and truncated: the fix of an unconfirmed restore confirms the replacement, not a recovery in place', async () => {
      for (const damage of [Buffer.alloc(0), (await readFile(storePath())).subarray(0, 200)]) {
        await writeFile(storePath(), damage);
        const unconfirmed = await failure(fromBackup());
        expect(unconfirmed.code).toBe('BACKUP_REPLACES_STORE');
        expect(failedDetail(unconfirmed)).toMatch(/^The store in the data folder is damaged: /);
        expect(failedFix(unconfirmed)).not.toMatch(/in place/);
        expect(failedFix(unconfirmed)).toMatch(/^Confirm replacing the damaged /);
      }
      await expectRestoredByConfirmedBackup();
    });

    it('garbage: described as a damaged store (not "check the path") everywhere recovery looks, with the exit code of any damaged store', async () => {
      await writeFile(storePath(), randomBytes(1000));
      const inPlace = await failure(recover());
      expect(inPlace.code).toBe('STORE_TAMPERED');
      expect(failedDetail(inPlace)).toBe(`${storePath()} does not read as a kmip-console store: it was damaged, or another file was put in its place. Restore it from a backup.`);
      expect(failedFix(inPlace)).toMatch(new RegExp(`^Restore ${storePath()} from a backup file: kmip-console recover --backup FILE --replace`));
      expect(await recoveryState(workspace.dir, unlockKeys, true)).toMatchObject({
        state: 'needs-recovery',
        cause: 'STORE_TAMPERED',
        damaged: true,
        reason: expect.stringMatching(/does not read as a kmip-console store: it was damaged/),
      });
      // The app's chosen-backup summary: a damaged store to replace, so the checkbox is offered.
      expect(await storeInDataFolder(workspace.dir)).toEqual({ damaged: true, problem: expect.stringMatching(/does not read as a kmip-console store/) });
      const unconfirmed = await failure(fromBackup());
      expect(unconfirmed.code).toBe('BACKUP_REPLACES_STORE');
      expect(failedDetail(unconfirmed)).not.toMatch(/Check the path/);
      // The same condition, the same exit code, as empty, truncated or MAC-damaged store files.
      expect(exitCodeForErrorCode(inPlace.code)).toBe(ExitCode.DataError);
      await expectRestoredByConfirmedBackup();
    });

    it('a folder in the store file\'s place: never deleted, even when confirmed; says to move it aside, after which a restore works', async () => {
      await rm(storePath());
      await mkdir(storePath());
      await writeFile(path.join(storePath(), 'keep-me'), 'x');
      for (const attempt of [() => recover(), () => fromBackup(), () => fromBackup(true)]) {
        const error = await failure(attempt());
        expect(error.code).toBe('STORE_NOT_A_FILE');
        expect(failedDetail(error)).toBe(
          `${storePath()} is a folder, not the store file. kmip-console does not delete or replace it: move it out of the way (rename it), then restore a backup file into the data folder.`,
        );
        expect(failedDetail(error)).not.toMatch(/pick the file inside it/);
        expect(failedFix(error)).toMatch(/^Move .* out of the way \(e\.g\. mv ".*store\.kcs" ".*store\.kcs\.aside"\), then restore a backup file: kmip-console recover --backup FILE/);
        expect(exitCodeForErrorCode(error.code)).toBe(ExitCode.DataError);
      }
      expect((await stat(path.join(storePath(), 'keep-me'))).isFile()).toBe(true);
      await expect(storeInDataFolder(workspace.dir)).rejects.toMatchObject({ code: 'STORE_NOT_A_FILE' });
      // Not "damaged": the screen would then offer only a backup restore, which cannot replace a folder either.
      const state = await recoveryState(workspace.dir, unlockKeys, true);
      expect(state).toMatchObject({ state: 'needs-recovery', cause: 'STORE_NOT_A_FILE', reason: expect.stringMatching(/is a folder, not the store file/) });
      expect(state.damaged).toBeUndefined();
      await rename(storePath(), `${storePath()}.aside`);
      await fromBackup();
      expect((await ObjectStore.open(storePath(), unlockKeys)).get('db').value.toString()).toBe('s3cret');
    });

    it('a file too large to be a store in its place: says to move it aside, as a confirmed restore cannot read past it either', async () => {
      await rm(storePath());
      await writeFile(storePath(), '');
      await truncate(storePath(), 2 ** 30 + 1); // sparse: no disk space taken
      for (const attempt of [() => recover(), () => fromBackup(true)]) {
        const error = await failure(attempt());
        expect(error.code).toBe('STORE_NOT_A_FILE');
        expect(failedDetail(error)).toMatch(/is a file larger than any store kmip-console writes \(over 1 GiB\), not the store file\. .*move it out of the way/);
        expect(failedFix(error)).toMatch(/^Move .* out of the way/);
      }
      await rename(storePath(), `${storePath()}.aside`);
      await fromBackup();
      expect((await ObjectStore.open(storePath(), unlockKeys)).get('db').value.toString()).toBe('s3cret');
    });

    it('a healthy store that opens: an unconfirmed restore does not suggest recovering it in place', async () => {
      const error = await failure(fromBackup());
      expect(error.code).toBe('BACKUP_REPLACES_STORE');
      expect(failedDetail(error)).toMatch(/That store opens with its local unlock: it needs no recovery/);
      expect(failedFix(error)).toMatch(/^Nothing needs recovering/);
      // Its local unlock lost: then recovering it in place is the alternative.
      await unlockKeys.remove(storeId);
      const lost = await failure(fromBackup());
      expect(failedDetail(lost)).toMatch(/Recover the store in place instead/);
    });
  });

  describe('a backup file that goes away during the recovery', () => {
    it('removed after its header was read: named as the backup that is not there, not as "No store at" the backup\'s path', async () => {
      const machine = await dataFolder();
      try {
        // The header is read before connecting; the unwrap step opens the file again once the key is found.
        const running = runRecover({ dataDir: machine.dir, unlockKeys, connection: eksOptions(), source: { kind: 'backup', path: backup } }, (step) => {
          if (step.id === 'connect' && step.status === 'pass') rmSync(backup);
        });
        const error = await failure(running);
        expect(error.code).toBe('BACKUP_NOT_FOUND');
        expect(failedDetail(error)).toMatch(/^The backup file .*store\.backup is not there: it was moved or deleted since it was chosen/);
        expect(exitCodeForErrorCode(error.code)).toBe(ExitCode.DataError);
        await expect(readStoreHeader(storeFilePath(machine.dir))).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
      } finally {
        await machine.remove();
      }
    });
  });

  describe('F6: a data folder with no store (a reinstall)', () => {
    it('points at restoring a backup file, not at "the message"', async () => {
      const machine = await dataFolder();
      try {
        const error = await failure(recover({ dataDir: machine.dir }));
        expect(error.code).toBe('STORE_NOT_FOUND');
        expect(failedDetail(error)).toMatch(/^No store at .* to recover in place: this data folder holds no store file/);
        expect(failedFix(error)).toMatch(/^On a new machine or after a reinstall, restore a backup file: kmip-console recover --backup FILE \(System Recovery Options → Restore from a backup file/);
        await expect(readStoreHeader(storeFilePath(machine.dir))).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
      } finally {
        await machine.remove();
      }
    });
  });
});
