import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ObjectStore, StoreError, readStoreHeader, removeStaleTempFiles, writeFileAtomic } from '../../../main/store';
import { scratchDir } from '../../support/scratch-dirs';
import { adminRef } from './admin-key-ref';
import { MemoryUnlockKeys } from './memory-unlock-keys';

let dir: string;
let storePath: string;
let unlockKeys: MemoryUnlockKeys;

beforeEach(() => {
  dir = scratchDir('kmip-store-');
  storePath = path.join(dir, 'store.kcs');
  unlockKeys = new MemoryUnlockKeys();
});


async function storeWithObjects(): Promise<ObjectStore> {
  const store = await ObjectStore.initialize(storePath, unlockKeys);
  await store.add({ name: 'db-password', kind: 'secret', value: Buffer.from('correct horse battery staple') });
  await store.generate({ name: 'signing-key', size: 32 });
  return store;
}

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StoreError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('ObjectStore', () => {
  it('stores, lists, reads and deletes objects across reopen with the local unlock key', async () => {
    const store = await storeWithObjects();
    expect(store.persisted).toBe(true);
    const reopened = await ObjectStore.open(storePath, unlockKeys);
    expect(reopened.list().map((o) => [o.name, o.kind, o.size])).toEqual([
      ['db-password', 'secret', 28],
      ['signing-key', 'key', 32],
    ]);
    expect(reopened.get('db-password').value.toString()).toBe('correct horse battery staple');
    const key = reopened.get('signing-key');
    expect(reopened.get(key.info.id).value.equals(key.value)).toBe(true);
    await reopened.delete('db-password');
    expect((await ObjectStore.open(storePath, unlockKeys)).list().map((o) => o.name)).toEqual(['signing-key']);
  });

  it('keeps values out of the file in plaintext', async () => {
    await storeWithObjects();
    expect((await readFile(storePath)).includes(Buffer.from('correct horse'))).toBe(false);
  });

  it('refuses duplicate names, empty values and unknown objects', async () => {
    const store = await storeWithObjects();
    expect(await errorCode(store.add({ name: 'db-password', kind: 'secret', value: Buffer.from('x') }))).toBe('OBJECT_EXISTS');
    expect(await errorCode(store.add({ name: 'empty', kind: 'secret', value: Buffer.alloc(0) }))).toBe('INVALID_OBJECT');
    expect(await errorCode(store.generate({ name: 'huge', size: 4096 }))).toBe('INVALID_OBJECT');
    expect(await errorCode(store.delete('nope'))).toBe('OBJECT_NOT_FOUND');
  });

  it("refuses a name in the form of an object id, which delete or get could take for another object's id", async () => {
    const store = await storeWithObjects();
    const [first] = store.list();
    expect(await errorCode(store.add({ name: first!.id, kind: 'secret', value: Buffer.from('second') }))).toBe('INVALID_OBJECT');
    expect(await errorCode(store.add({ name: randomUUID().toUpperCase(), kind: 'secret', value: Buffer.from('x') }))).toBe('INVALID_OBJECT');
    expect(store.list()).toHaveLength(2);
    expect((await store.delete(first!.id)).name).toBe(first!.name);
  });

  it('refuses names with line breaks, escape sequences, direction overrides or zero-width characters (they would forge or hide what a list shows)', async () => {
    const store = await storeWithObjects();
    for (const name of ['a\nfake  secret  9 bytes', 'x\u001b[2Jy', 'pay\u202egpj.exe', 'admin\u200b', 'line\u2028two', 'c1\u0085']) {
      expect(await errorCode(store.add({ name, kind: 'secret', value: Buffer.from('x') }))).toBe('INVALID_OBJECT');
    }
    expect((await store.add({ name: 'clé de sauvegarde 🔑', kind: 'secret', value: Buffer.from('x') })).name).toBe('clé de sauvegarde 🔑');
  });

  it('counts a name in characters, not UTF-16 units: 256 emoji are a valid name, and still valid after reopen', async () => {
    const store = await storeWithObjects();
    const longest = '🔑'.repeat(256);
    expect((await store.add({ name: longest, kind: 'secret', value: Buffer.from('x') })).name).toBe(longest);
    expect((await ObjectStore.open(storePath, unlockKeys)).get(longest).value.toString()).toBe('x');
    const tooLong = store.add({ name: '🔑'.repeat(257), kind: 'secret', value: Buffer.from('x') });
    await expect(tooLong).rejects.toThrow('An object name must be 1–256 characters; this one has 257.');
  });

  it('calls an emptied store file damaged (a crash or a full disk), not "not a store file, check the path"', async () => {
    await storeWithObjects();
    await writeFile(storePath, '');
    await expect(ObjectStore.open(storePath, unlockKeys)).rejects.toMatchObject({ code: 'STORE_TAMPERED', message: expect.stringMatching(/is empty: it was damaged .*Restore it from a backup\.$/) });
    await expect(readStoreHeader(storePath)).rejects.toMatchObject({ code: 'STORE_TAMPERED' });
  });

  it('draws generated keys from the random source it was given', async () => {
    const fixed = (size: number) => Buffer.alloc(size, 0xab);
    const store = await ObjectStore.initialize(storePath, unlockKeys, { random: fixed });
    await store.generate({ name: 'k', size: 16 });
    expect(store.get('k').value.equals(Buffer.alloc(16, 0xab))).toBe(true);
  });

  it('reports a missing local unlock key and a wrong one distinctly', async () => {
    const store = await storeWithObjects();
    const storeId = store.header.storeId;
    await unlockKeys.save(storeId, randomBytes(32));
    expect(await errorCode(ObjectStore.open(storePath, unlockKeys))).toBe('WRONG_KEY');
    await unlockKeys.remove(storeId);
    expect(await errorCode(ObjectStore.open(storePath, unlockKeys))).toBe('LOCAL_UNLOCK_MISSING');
  });

  it('opens with the Admin Key after Apply, and refuses a wrong Admin Key', async () => {
    const store = await storeWithObjects();
    const adminKey = randomBytes(32);
    await store.installAdminKey(adminKey, adminRef(store.header.storeId, 1));
    const header = (await readStoreHeader(storePath)).header;
    expect(header.adminKey?.generation).toBe(1);
    const viaAdmin = await ObjectStore.openWithAdminKey(storePath, adminKey);
    expect(viaAdmin.get('db-password').value.toString()).toBe('correct horse battery staple');
    expect(await errorCode(ObjectStore.openWithAdminKey(storePath, randomBytes(32)))).toBe('WRONG_KEY');
  });

  it('accepts only an Admin Key generation above the store\'s (a later one when Apply skipped Names the key server holds)', async () => {
    const store = await storeWithObjects();
    await store.installAdminKey(randomBytes(32), adminRef(store.header.storeId, 2));
    expect(await errorCode(store.installAdminKey(randomBytes(32), adminRef(store.header.storeId, 2)))).toBe('STORE_CHANGED');
    expect(await errorCode(store.installAdminKey(randomBytes(32), adminRef(store.header.storeId, 1)))).toBe('STORE_CHANGED');
    const third = randomBytes(32);
    await store.installAdminKey(third, adminRef(store.header.storeId, 3));
    expect((await ObjectStore.openWithAdminKey(storePath, third)).header.adminKey?.generation).toBe(3);
  });

  it('exports a backup that only the Admin Key opens, and restores it with a new local unlock', async () => {
    const store = await storeWithObjects();
    expect(await errorCode(store.exportBackup(path.join(dir, 'early.backup')))).toBe('NO_ADMIN_KEY');
    const adminKey = randomBytes(32);
    await store.installAdminKey(adminKey, adminRef(store.header.storeId, 1));
    const storeBytes = await readFile(storePath);
    for (const overStore of [storePath, path.join(dir, '..', path.basename(dir), path.basename(storePath))]) {
      expect(await errorCode(store.exportBackup(overStore))).toBe('BACKUP_OVER_STORE');
    }
    expect(await readFile(storePath)).toEqual(storeBytes);
    const backupPath = path.join(dir, 'store.backup');
    await store.exportBackup(backupPath);

    const backup = await readStoreHeader(backupPath);
    expect(backup.kind).toBe('backup');
    expect(backup.header.wrappedDataKey.local).toBeNull();
    expect(await errorCode(ObjectStore.open(backupPath, unlockKeys))).toBe('LOCAL_UNLOCK_MISSING');

    const freshMachine = new MemoryUnlockKeys();
    const restoredPath = path.join(dir, 'restored', 'store.kcs');
    await mkdir(path.dirname(restoredPath));
    const recovered = await ObjectStore.openWithAdminKey(backupPath, adminKey);
    recovered.verifyObjects();
    await recovered.relinkLocalUnlock(freshMachine, restoredPath);
    const reopened = await ObjectStore.open(restoredPath, freshMachine);
    expect(reopened.kind).toBe('store');
    expect(reopened.header.storeId).toBe(store.header.storeId);
    expect(reopened.get('db-password').value.toString()).toBe('correct horse battery staple');
  });

  it('refuses to overwrite a store that another process changed since it was opened', async () => {
    await storeWithObjects();
    const first = await ObjectStore.open(storePath, unlockKeys);
    const second = await ObjectStore.open(storePath, unlockKeys);
    await first.add({ name: 'a', kind: 'secret', value: Buffer.from('1') });
    expect(await errorCode(second.add({ name: 'b', kind: 'secret', value: Buffer.from('2') }))).toBe('STORE_CHANGED');
  });

  it('lets only one of two concurrent changes through, and the other reports STORE_CHANGED instead of overwriting it', async () => {
    await storeWithObjects();
    const first = await ObjectStore.open(storePath, unlockKeys);
    const second = await ObjectStore.open(storePath, unlockKeys);
    const results = await Promise.allSettled([
      first.add({ name: 'a', kind: 'secret', value: Buffer.from('1') }),
      second.add({ name: 'b', kind: 'secret', value: Buffer.from('2') }),
    ]);
    const written = results.filter((r) => r.status === 'fulfilled').map((r) => r.value.name);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as StoreError).code);
    expect(written).toHaveLength(1);
    expect(refused).toEqual(['STORE_CHANGED']);
    const names = (await ObjectStore.open(storePath, unlockKeys)).list().map((o) => o.name);
    expect(names).toEqual(['db-password', 'signing-key', ...written]);
    expect(await readdir(dir)).toEqual(['store.kcs']);
  });

  it('waits for the lock file of a live process, and takes over one left by a dead process', async () => {
    const store = await storeWithObjects();
    const lockFile = `${storePath}.lock`;
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      await writeFile(lockFile, `${owner.pid}\n`);
      const started = Date.now();
      setTimeout(() => void rm(lockFile), 300);
      await store.add({ name: 'after-wait', kind: 'secret', value: Buffer.from('1') });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      owner.kill();
    }
    await writeFile(lockFile, `${spawnSync(process.execPath, ['-e', '0']).pid}\n`);
    await store.add({ name: 'after-takeover', kind: 'secret', value: Buffer.from('2') });
    expect((await ObjectStore.open(storePath, unlockKeys)).list().map((o) => o.name)).toContain('after-takeover');
    expect(await readdir(dir)).toEqual(['store.kcs']);
  });

  it('reports STORE_WRITE_FAILED naming the file when its folder is gone, and keeps the change out of memory', async () => {
    const store = await storeWithObjects();
    await rm(dir, { recursive: true });
    const error = await store.add({ name: 'lost', kind: 'secret', value: Buffer.from('1') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_WRITE_FAILED', path: storePath, message: expect.stringContaining(`Cannot write ${storePath} (ENOENT)`) });
    expect(store.list().map((o) => o.name)).not.toContain('lost');
  });

  it('reverts an Admin Key install to the previous file, or to no file for a new store', async () => {
    const fresh = await ObjectStore.initialize(storePath, unlockKeys);
    await fresh.installAdminKey(randomBytes(32), adminRef(fresh.header.storeId, 1));
    await fresh.revertTo(null);
    expect(await readdir(dir)).toEqual([]);
    expect(fresh.persisted).toBe(false);

    const store = await storeWithObjects();
    const before = await readFile(storePath);
    await store.installAdminKey(randomBytes(32), adminRef(store.header.storeId, 1));
    await store.revertTo(before);
    expect((await readFile(storePath)).equals(before)).toBe(true);
    expect(store.header.adminKey).toBeNull();
  });

  it('reverts an Admin Key install as a change of the header alone: objects another process added or deleted meanwhile stay', async () => {
    const store = await storeWithObjects();
    const before = await readFile(storePath);
    await store.installAdminKey(randomBytes(32), adminRef(store.header.storeId, 1));
    const other = await ObjectStore.open(storePath, unlockKeys);
    await other.add({ name: 'added-meanwhile', kind: 'secret', value: Buffer.from('kept') });
    await other.delete('signing-key');

    await store.revertTo(before);
    const reverted = await ObjectStore.open(storePath, unlockKeys);
    expect(reverted.header).toEqual((await readStoreHeader(storePath)).header);
    expect(reverted.header).toEqual(JSON.parse(JSON.stringify(store.header)));
    expect(reverted.header.adminKey).toBeNull();
    expect(reverted.header.wrappedDataKey.admin).toBeNull();
    expect(reverted.list().map((o) => o.name)).toEqual(['db-password', 'added-meanwhile']);
    expect(reverted.get('added-meanwhile').value.toString()).toBe('kept');
    expect(store.list().map((o) => o.name)).toEqual(['db-password', 'added-meanwhile']);

    // a new store (no previous file) that got an object meanwhile is kept, without its Admin Key
    await rm(storePath);
    const fresh = await ObjectStore.initialize(storePath, unlockKeys);
    await fresh.installAdminKey(randomBytes(32), adminRef(fresh.header.storeId, 1));
    await (await ObjectStore.open(storePath, unlockKeys)).add({ name: 'first', kind: 'secret', value: Buffer.from('1') });
    await fresh.revertTo(null);
    expect(fresh.persisted).toBe(true);
    const kept = await ObjectStore.open(storePath, unlockKeys);
    expect(kept.header.adminKey).toBeNull();
    expect(kept.get('first').value.toString()).toBe('1');
  });

  it('refuses to revert an Admin Key install over a header another process changed, and keeps that file', async () => {
    const store = await storeWithObjects();
    const before = await readFile(storePath);
    await store.installAdminKey(randomBytes(32), adminRef(store.header.storeId, 1));
    await (await ObjectStore.open(storePath, unlockKeys)).installAdminKey(randomBytes(32), adminRef(store.header.storeId, 2));
    const otherApply = await readFile(storePath);
    expect(await errorCode(store.revertTo(before))).toBe('STORE_CHANGED');
    expect((await readFile(storePath)).equals(otherApply)).toBe(true);
  });

  it('reports a store of a newer format as too new (written by a newer kmip-console), not as unreadable or damaged', async () => {
    await storeWithObjects();
    const file = (await readFile(storePath, 'utf8')).replace(/"formatVersion":\d+/, '"formatVersion":99');
    await writeFile(storePath, file);
    const error = (await ObjectStore.open(storePath, unlockKeys).catch((e: unknown) => e)) as StoreError;
    expect(error).toMatchObject({ code: 'STORE_TOO_NEW', message: expect.stringContaining('has store format 99') });
    expect(await readFile(storePath, 'utf8')).toBe(file);
  });

  it('reports a file that is no store as unreadable', async () => {
    await writeFile(storePath, 'hello');
    expect(await errorCode(ObjectStore.open(storePath, unlockKeys))).toBe('STORE_UNREADABLE');
    expect(await errorCode(ObjectStore.open(path.join(dir, 'missing.kcs'), unlockKeys))).toBe('STORE_NOT_FOUND');
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO or a device named as a backup without blocking on it or reading it', async () => {
    const fifo = path.join(dir, 'backup.kcs');
    spawnSync('mkfifo', [fifo]);
    for (const target of [fifo, '/dev/zero']) {
      const error = await readStoreHeader(target).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'STORE_UNREADABLE', path: target, message: expect.stringContaining('is not a regular file') });
    }
  });
});

describe('tampering', () => {
  // Every single-byte change is detected. Past the fixed file prefix (STORE_UNREADABLE) it is reported as
  // STORE_TAMPERED, except inside the store id when opening locally: the store id names the keychain entry,
  // so a changed id finds no local unlock key (and recovery then fails on the id bound into the wrap).
  async function expectEveryFlipDetected(filePath: string, openIt: () => Promise<ObjectStore>, storeIdVerdict: string) {
    const original = await readFile(filePath);
    const text = original.toString('latin1');
    const prefixEnd = '{"format":"kmip-console-store"'.length;
    const storeIdStart = text.indexOf('"storeId":"') + '"storeId":"'.length;
    const unexpected: string[] = [];
    for (let offset = 0; offset < original.length; offset++) {
      for (const mask of [0x01, 0x80]) {
        const flipped = Buffer.from(original);
        flipped[offset] = flipped[offset]! ^ mask;
        await writeFile(filePath, flipped);
        const code = await errorCode(openIt());
        const inStoreId = offset >= storeIdStart && offset < storeIdStart + 36;
        const allowed = offset < prefixEnd ? ['STORE_UNREADABLE'] : inStoreId ? ['STORE_TAMPERED', storeIdVerdict] : ['STORE_TAMPERED'];
        if (!allowed.includes(code)) unexpected.push(`offset ${offset} mask ${mask}: ${code}`);
      }
    }
    await writeFile(filePath, original);
    expect(unexpected).toEqual([]);
    await expect(openIt()).resolves.toBeInstanceOf(ObjectStore);
  }

  it('detects a flipped byte anywhere in a store opened with the local unlock key', async () => {
    const store = await storeWithObjects();
    await store.installAdminKey(randomBytes(32), adminRef(store.header.storeId, 1));
    await expectEveryFlipDetected(storePath, () => ObjectStore.open(storePath, unlockKeys), 'LOCAL_UNLOCK_MISSING');
  });

  it('detects a flipped byte anywhere in a backup opened with the Admin Key', async () => {
    const store = await storeWithObjects();
    const adminKey = randomBytes(32);
    await store.installAdminKey(adminKey, adminRef(store.header.storeId, 1));
    const backupPath = path.join(dir, 'b.backup');
    await store.exportBackup(backupPath);
    await expectEveryFlipDetected(backupPath, () => ObjectStore.openWithAdminKey(backupPath, adminKey), 'STORE_TAMPERED');
  });

  it('still reports a wrong key as WRONG_KEY, not as tampering', async () => {
    const store = await storeWithObjects();
    await store.installAdminKey(randomBytes(32), adminRef(store.header.storeId, 1));
    expect(await errorCode(ObjectStore.openWithAdminKey(storePath, randomBytes(32)))).toBe('WRONG_KEY');
  });
});

describe('atomic writes', () => {
  it('leaves the old file and no temporary file when a write fails before the rename', async () => {
    const store = await storeWithObjects();
    const before = await readFile(storePath);
    await expect(
      store.installAdminKey(randomBytes(32), adminRef(store.header.storeId, 1), {
        beforeRename: async () => {
          throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    expect((await readFile(storePath)).equals(before)).toBe(true);
    expect(await readdir(dir)).toEqual(['store.kcs']);
    // the in-memory store did not adopt the failed change
    expect(store.header.adminKey).toBeNull();
  });
});

describe('atomic writes under SIGKILL', () => {
  it('keeps the old content when the writer is killed between flush and rename, and the next write succeeds', async () => {
    const target = path.join(dir, 'file');
    await writeFile(target, 'old');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'write-then-hang.ts'), target, 'new'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('paused') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(await readFile(target, 'utf8')).toBe('old');
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toHaveLength(1);
    await removeStaleTempFiles(target);
    await writeFileAtomic(target, Buffer.from('newer'));
    expect(await readFile(target, 'utf8')).toBe('newer');
    expect(await readdir(dir)).toEqual(['file']);
  });
});

describe('local unlock on restore', () => {
  it('restores of one store into two folders at once: the second wraps under the key the first saved meanwhile, so both open', async () => {
    const store = await storeWithObjects();
    const adminKey = randomBytes(32);
    await store.installAdminKey(adminKey, adminRef(store.header.storeId, 1));
    const backupPath = path.join(dir, 'b.backup');
    await store.exportBackup(backupPath);
    const machine = new MemoryUnlockKeys(); // this machine's keychain: no key for the store yet
    const first = await ObjectStore.openWithAdminKey(backupPath, adminKey);
    const second = await ObjectStore.openWithAdminKey(backupPath, adminKey);
    const [firstPath, secondPath] = [path.join(dir, 'first.kcs'), path.join(dir, 'second.kcs')];
    // The second looks the key up and finds none; before it goes on, the first restores completely
    // (it too finds none, so it saves a key of its own and writes its file).
    const looking = machine.load.bind(machine);
    let lookups = 0;
    machine.load = async (storeId) => {
      lookups += 1;
      const found = await looking(storeId);
      if (lookups === 1) await first.relinkLocalUnlock(machine, firstPath);
      return found;
    };
    await second.relinkLocalUnlock(machine, secondPath);
    expect((await ObjectStore.open(firstPath, machine)).list()).toHaveLength(2);
    expect((await ObjectStore.open(secondPath, machine)).list()).toHaveLength(2);
  });

  it('reuses the local unlock key this machine already holds for the store, so both copies keep opening', async () => {
    const store = await storeWithObjects();
    const adminKey = randomBytes(32);
    await store.installAdminKey(adminKey, adminRef(store.header.storeId, 1));
    const backupPath = path.join(dir, 'b.backup');
    await store.exportBackup(backupPath);
    const secondPath = path.join(dir, 'second.kcs');
    await (await ObjectStore.openWithAdminKey(backupPath, adminKey)).relinkLocalUnlock(unlockKeys, secondPath);
    expect((await ObjectStore.open(storePath, unlockKeys)).list()).toHaveLength(2);
    expect((await ObjectStore.open(secondPath, unlockKeys)).list()).toHaveLength(2);
  });
});
