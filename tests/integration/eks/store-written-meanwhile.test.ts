// Another kmip-console process writes the store file while Recover or Apply runs (against the real
// PyKMIP server and OS keychain). Recovery replaces only the file it found at its start, so a store
// written meanwhile is never overwritten unseen and the loser creates no local unlock key; Apply, whose
// re-wrap changes the header alone, keeps objects stored meanwhile but not a header changed meanwhile.
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StepReport } from '../../../common/ipc';
import { runApply, runRecover, type RecoverRequest } from '../../../main/eks';
import { ObjectStore, storeFilePath } from '../../../main/store';
import { describeWithServices } from '../../support/services';
import { dataFolder, eksOptions, failure, statuses, useApplyWorkspace } from './eks-fixtures';

describeWithServices('the store file written by another process during a run', () => {
  const workspace = useApplyWorkspace();
  const { unlockKeys, applyRequest } = workspace;

  /** An applied store in a folder of its own, with one object: its id and its file's bytes. */
  async function otherStore(): Promise<{ storeId: string; bytes: Buffer; remove(): Promise<void> }> {
    const folder = await dataFolder();
    const applied = await runApply({ ...applyRequest(), dataDir: folder.dir }, () => undefined);
    await (await ObjectStore.open(storeFilePath(folder.dir), unlockKeys)).add({ name: 'from-b', kind: 'secret', value: Buffer.from('bee') });
    return { storeId: applied.storeId, bytes: await readFile(storeFilePath(folder.dir)), remove: folder.remove };
  }

  /** A progress listener that writes `bytes` over the store file of `dataDir` once the data key is unwrapped, as another process would. */
  function writeStoreBeforeRelink(dataDir: string, bytes: Buffer): (step: StepReport) => void {
    return (step) => {
      if (step.id === 'unwrap' && step.status === 'pass') writeFileSync(storeFilePath(dataDir), bytes);
    };
  }

  describe('Recover', () => {
    it.each([false, true])(
      'a backup restored into a folder that gets another store meanwhile (replace confirmed: %s) fails naming that store, writes nothing, creates no local unlock key',
      async (replaceStore) => {
        const applied = await runApply(applyRequest(), () => undefined);
        const backup = path.join(workspace.dir, 'a.backup');
        await (await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys)).exportBackup(backup);
        await unlockKeys.remove(applied.storeId); // the backup is restored on a new machine
        const other = await otherStore();
        const machine = await dataFolder();
        try {
          const request: RecoverRequest = {
            dataDir: machine.dir,
            unlockKeys,
            connection: eksOptions(),
            source: { kind: 'backup', path: backup },
            replaceStore,
          };
          const error = await failure(runRecover(request, writeStoreBeforeRelink(machine.dir, other.bytes)));
          expect(error.code).toBe('BACKUP_OF_OTHER_STORE');
          expect(error.message).toContain(
            `Re-create the local unlock: Another kmip-console process wrote ${storeFilePath(machine.dir)} while this recovery ran: ` +
              `the data folder now holds store ${other.storeId} (1 objects). The backup was not restored, and no local unlock key was created.`,
          );
          expect(error.message).toMatch(/confirm replacing that store if that is what you intend/);
          expect(statuses(error.steps)).toMatchObject({ unwrap: 'pass', relink: 'fail', settings: 'skipped' });
          expect((await readFile(storeFilePath(machine.dir))).equals(other.bytes)).toBe(true);
          expect(await unlockKeys.load(applied.storeId)).toBeNull();
        } finally {
          await machine.remove();
          await other.remove();
        }
      },
    );

    it('a backup of the store the folder gets meanwhile (a second restore of it) is refused as replacing that store', async () => {
      const applied = await runApply(applyRequest(), () => undefined);
      const backup = path.join(workspace.dir, 'a.backup');
      await (await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys)).exportBackup(backup);
      const restoredMeanwhile = await readFile(storeFilePath(workspace.dir));
      const machine = await dataFolder();
      try {
        const error = await failure(
          runRecover(
            { dataDir: machine.dir, unlockKeys, connection: eksOptions(), source: { kind: 'backup', path: backup } },
            writeStoreBeforeRelink(machine.dir, restoredMeanwhile),
          ),
        );
        expect(error.code).toBe('BACKUP_REPLACES_STORE');
        expect(error.message).toContain(`the data folder now holds store ${applied.storeId} (0 objects)`);
        expect((await readFile(storeFilePath(machine.dir))).equals(restoredMeanwhile)).toBe(true);
      } finally {
        await machine.remove();
      }
    });

    it('in place, over a store file that another process replaced meanwhile, fails and writes nothing', async () => {
      const applied = await runApply(applyRequest(), () => undefined);
      await unlockKeys.remove(applied.storeId);
      const other = await otherStore();
      try {
        const error = await failure(
          runRecover({ dataDir: workspace.dir, unlockKeys, connection: eksOptions(), source: { kind: 'store' } }, writeStoreBeforeRelink(workspace.dir, other.bytes)),
        );
        expect(error.code).toBe('STORE_CHANGED');
        expect(error.message).toMatch(new RegExp(`now holds store ${other.storeId} \\(1 objects\\)\\. Nothing was written, and no local unlock key was created: run the recovery again\\.$`));
        expect(error.steps.find((step) => step.id === 'relink')?.fix).toMatch(/run the action again/);
        expect((await readFile(storeFilePath(workspace.dir))).equals(other.bytes)).toBe(true);
        expect(await unlockKeys.load(applied.storeId)).toBeNull();
      } finally {
        await other.remove();
      }
    });
  });

  describe('Apply', () => {
    it('keeps an object another process stored while it ran, in the re-wrapped store', async () => {
      await runApply(applyRequest(), () => undefined);
      const applied = await runApply(
        applyRequest({
          pauseAt: async (point) => {
            if (point === 'verified') {
              await (await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys)).add({ name: 'added-meanwhile', kind: 'secret', value: Buffer.from('kept') });
            }
          },
        }),
        () => undefined,
      );
      expect(applied.adminKeyGeneration).toBe(2);
      const store = await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys);
      expect(store.header.adminKey?.generation).toBe(2);
      expect(store.get('added-meanwhile').value.toString()).toBe('kept');
    });

    it('when applying the settings then fails, puts back the previous header with the objects stored before and after the header write', async () => {
      await runApply(applyRequest(), () => undefined);
      const error = await failure(
        runApply(
          applyRequest({
            pauseAt: async (point) => {
              if (point === 'verified' || point === 'header-written') {
                await (await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys)).add({ name: `added-${point}`, kind: 'secret', value: Buffer.from(point) });
              }
            },
            commitSettings: async () => {
              throw new Error('disk full');
            },
          }),
          () => undefined,
        ),
      );
      expect(statuses(error.steps)).toMatchObject({ store: 'pass', settings: 'fail' });
      const store = await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys);
      expect(store.header.adminKey?.generation).toBe(1);
      expect(store.get('added-verified').value.toString()).toBe('verified');
      expect(store.get('added-header-written').value.toString()).toBe('header-written');
      expect(error.message).toMatch(/^Apply the settings: Internal error: disk full\. The Admin Key/);
      expect(error.message).toMatch(/The Admin Key this attempt registered, generation 2 "[^"]+\/admin-key\/2" \(unique identifier \S+\), stays on the key server unused/);
    });

    it('still fails with STORE_CHANGED when another Apply changed the header meanwhile', async () => {
      await runApply(applyRequest(), () => undefined);
      const error = await failure(
        runApply(
          applyRequest({
            pauseAt: async (point) => {
              if (point === 'verified') await runApply(applyRequest(), () => undefined);
            },
          }),
          () => undefined,
        ),
      );
      expect(error.code).toBe('STORE_CHANGED');
      expect(error.message).toMatch(/admin-key\/2" \(unique identifier \S+\), stays on the key server unused/);
      // the other Apply's generation: it found the Name of generation 2 taken by this one
      expect((await ObjectStore.open(storeFilePath(workspace.dir), unlockKeys)).header.adminKey?.generation).toBe(3);
    });
  });
});
