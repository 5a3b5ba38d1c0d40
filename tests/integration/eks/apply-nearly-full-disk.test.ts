// Apply on a nearly full disk, for real: a 3200 KiB tmpfs holding a store of about 2 MiB (review
// s18-r2 F6). The store is rewritten as a new file beside the old one, so the write after Register
// would fail with ENOSPC and leave the new Admin Key unused on the key server; the small file Apply
// writes first to prove the folder writable (at most 1 MiB + 4 KiB) still fits. Apply must refuse
// before it sends anything, from the free space the file system reports. Mounting needs root outside a
// restricted container (CI runs as root on a fresh VM); where mount is refused the test says so and skips.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { copyFile, readdir, readFile, stat, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { OBJECT_VALUE_MAX_BYTES } from '../../../common/object-value';
import { runApply } from '../../../main/eks';
import { ObjectStore, storeFilePath } from '../../../main/store';
import { describeWithServices } from '../../support/services';
import { failure, statuses, useApplyWorkspace } from './eks-fixtures';

const MiB = 1024 * 1024;

/** Unmounts `dir` (lazily when it is still busy) and removes it; says so loudly if it stays mounted. */
function unmount(dir: string): void {
  if (spawnSync('umount', [dir]).status !== 0 && spawnSync('umount', ['-l', dir]).status !== 0) {
    throw new Error(`could not unmount the test tmpfs at ${dir}: unmount it by hand`);
  }
  rmSync(dir, { recursive: true, force: true });
}

describeWithServices('Apply on a nearly full disk (a real tmpfs)', () => {
  const workspace = useApplyWorkspace();

  it('refuses before it sends anything when the new store file would not fit beside the old one', async (context) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kmip-full-disk-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3200k', 'tmpfs', dataDir], { encoding: 'utf8' });
    if (mounted.status !== 0) {
      rmSync(dataDir, { recursive: true, force: true });
      const why = mounted.error?.message ?? (mounted.stderr.trim() || `exit ${mounted.status}`);
      context.skip(`cannot mount a tmpfs here (${why}): needs root, outside a container that forbids mount`);
    }
    try {
      // A store of about 2 MiB, built where there is room.
      const built = storeFilePath(workspace.dir);
      const store = await ObjectStore.initialize(built, workspace.unlockKeys);
      let objects = 0;
      do {
        await store.add({ name: `blob-${objects}`, kind: 'secret', value: randomBytes(OBJECT_VALUE_MAX_BYTES) });
        objects += 1;
      } while ((await stat(built)).size < 2 * MiB);

      const storePath = storeFilePath(dataDir);
      await copyFile(built, storePath);
      const before = await readFile(storePath);
      // The case of the review: the probe fits, a second copy of the store does not.
      const { bavail, bsize } = await statfs(dataDir);
      expect(bavail * bsize).toBeGreaterThan(MiB + 4096);
      expect(bavail * bsize).toBeLessThan(before.length);

      const error = await failure(runApply({ ...workspace.applyRequest(), dataDir }, () => undefined));
      expect(error.code).toBe('STORE_WRITE_FAILED');
      expect(error.message).toMatch(
        new RegExp(
          `^Open the object store: Cannot write the store file in ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the disk is full: the new store file is written beside the old one ` +
            'before it replaces it, so about 2\\.\\d\\d MiB must be free there, and 1\\.\\d\\d MiB is free\\. ' +
            'Nothing was sent to the key server: fix this, then run Apply again\\.',
        ),
      );
      expect(statuses(error.steps)).toMatchObject({ 'open-store': 'fail', connect: 'skipped', register: 'skipped', store: 'skipped', settings: 'skipped' });
      expect(workspace.committed).toBe(0);
      expect((await readFile(storePath)).equals(before)).toBe(true);
      expect(await readdir(dataDir)).toEqual(['store.kcs']);
    } finally {
      unmount(dataDir);
    }
  });
});
