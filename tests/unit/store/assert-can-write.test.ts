// ObjectStore.assertCanWrite, which Apply runs before it sends anything to the key server: the store
// is rewritten as a new file beside the old one, so the free space must hold about the store's size,
// not just the small file it writes to prove the folder writable (review s18-r2 F6). The free space is
// the file system's (statfs), given here in its place; where statfs cannot tell, the probe alone decides.
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ObjectStore, StoreError } from '../../../main/store';
import type { FolderSpace } from '../../../main/store/object-store';
import { scratchDir } from '../../support/scratch-dirs';

const MiB = 1024 * 1024;
let dir: string;
let storePath: string;

beforeEach(() => {
  dir = scratchDir('kmip-can-write-');
  storePath = path.join(dir, 'store.kcs');
});

/** statfs as a file system with `freeBytes` free for this user (4 KiB blocks), recording the folders asked. */
function space(freeBytes: number, asked: string[] = []): FolderSpace {
  return async (folder) => {
    asked.push(folder);
    return { bavail: Math.floor(freeBytes / 4096), bsize: 4096, blocks: 1 << 20 };
  };
}

async function refusal(promise: Promise<void>): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

describe('ObjectStore.assertCanWrite and the free space', () => {
  it('refuses a store larger than the space free in its folder, naming the folder, what is needed and what is free', async () => {
    await writeFile(storePath, Buffer.alloc(2 * MiB));
    const asked: string[] = [];
    const error = await refusal(ObjectStore.assertCanWrite(storePath, { statfs: space(1.5 * MiB, asked) }));
    expect(asked).toEqual([dir]);
    expect(error.code).toBe('STORE_WRITE_FAILED');
    expect(error.path).toBe(storePath);
    expect(error.message).toBe(
      `Cannot write the store file in ${dir}: the disk is full: the new store file is written beside the old one before it replaces it, ` +
        'so about 2.08 MiB must be free there, and 1.50 MiB is free.',
    );
    // the probe's file is gone
    expect(await readdir(dir)).toEqual(['store.kcs']);
  });

  it('asks for the store\'s size and a margin: refuses the store\'s size alone, accepts it with the margin', async () => {
    const size = 2 * MiB;
    await writeFile(storePath, Buffer.alloc(size));
    await refusal(ObjectStore.assertCanWrite(storePath, { statfs: space(size + 4096) }));
    await expect(ObjectStore.assertCanWrite(storePath, { statfs: space(size + Math.ceil(size / 100) + 64 * 1024 + 4096) })).resolves.toBeUndefined();
  });

  it('asks for the margin alone before the first Apply (no store file yet), without speaking of an old store', async () => {
    const error = await refusal(ObjectStore.assertCanWrite(storePath, { statfs: space(32 * 1024) }));
    expect(error.message).toBe(
      `Cannot write the store file in ${dir}: the disk is full: the first store file and the applied settings are written there, ` +
        'so about 64.0 KiB must be free there, and 32.0 KiB is free.',
    );
    await expect(ObjectStore.assertCanWrite(storePath, { statfs: space(68 * 1024) })).resolves.toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });

  it('goes by the probe alone, silently, where statfs fails or is missing', async () => {
    await writeFile(storePath, Buffer.alloc(2 * MiB));
    const unsupported: FolderSpace = async () => {
      throw Object.assign(new Error('ENOSYS: function not implemented, statfs'), { code: 'ENOSYS' });
    };
    await expect(ObjectStore.assertCanWrite(storePath, { statfs: unsupported })).resolves.toBeUndefined();
    const missing = undefined as unknown as FolderSpace; // a runtime without fs.statfs: calling it throws TypeError
    await expect(ObjectStore.assertCanWrite(storePath, { statfs: (folder) => missing(folder) })).resolves.toBeUndefined();
    const nonsense: FolderSpace = async () => ({ bavail: Number.NaN, bsize: 4096, blocks: 1 << 20 });
    await expect(ObjectStore.assertCanWrite(storePath, { statfs: nonsense })).resolves.toBeUndefined();
    // ramfs, or a FUSE file system without statfs: no size, so 0 free whatever it holds (review s19-r1 M1)
    const sizeless: FolderSpace = async () => ({ bavail: 0, bsize: 4096, blocks: 0 });
    await expect(ObjectStore.assertCanWrite(storePath, { statfs: sizeless })).resolves.toBeUndefined();
  });

  it('uses the real statfs by default: a folder on a disk with room passes', async () => {
    await writeFile(storePath, Buffer.alloc(64 * 1024));
    await expect(ObjectStore.assertCanWrite(storePath)).resolves.toBeUndefined();
  });

  it('still reports a folder that cannot be written from the probe, before any free space is asked', async () => {
    const asked: string[] = [];
    const missing = path.join(dir, 'gone', 'store.kcs');
    const error = await refusal(ObjectStore.assertCanWrite(missing, { statfs: space(0, asked) }));
    expect(error.message).toBe(`Cannot write the store file in ${path.dirname(missing)} (ENOENT): check that the folder exists and is writable.`);
    expect(asked).toEqual([]);
  });
});
