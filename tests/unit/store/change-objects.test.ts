// A change of the store's objects is made on the store as it is on disk: when another process wrote the
// file after this one read it, the change is made once more on a fresh read instead of failing.
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ObjectStore, StoreError, changeObjects } from '../../../main/store';
import { scratchDir } from '../../support/scratch-dirs';
import { MemoryUnlockKeys } from './memory-unlock-keys';

let storePath: string;
let unlockKeys: MemoryUnlockKeys;
const open = (): Promise<ObjectStore> => ObjectStore.open(storePath, unlockKeys);

beforeEach(async () => {
  storePath = path.join(scratchDir('kmip-store-change-'), 'store.kcs');
  unlockKeys = new MemoryUnlockKeys();
  await (await ObjectStore.initialize(storePath, unlockKeys)).add({ name: 'first', kind: 'secret', value: Buffer.from('1') });
});

describe('changeObjects', () => {
  it('adds to a store another process changed since this one read it, keeping that change', async () => {
    const readEarlier = await open();
    await (await open()).add({ name: 'by-another-process', kind: 'secret', value: Buffer.from('2') });
    const added = await changeObjects(open, (store) => store.add({ name: 'mine', kind: 'secret', value: Buffer.from('3') }), readEarlier);
    expect(added.name).toBe('mine');
    const names = (await open()).list().map((object) => object.name);
    expect(names).toEqual(['first', 'by-another-process', 'mine']);
    expect((await open()).get('mine').value.toString()).toBe('3');
  });

  it('deletes from a store another process changed since this one read it', async () => {
    const readEarlier = await open();
    await (await open()).add({ name: 'by-another-process', kind: 'secret', value: Buffer.from('2') });
    await changeObjects(open, (store) => store.delete('first'), readEarlier);
    expect((await open()).list().map((object) => object.name)).toEqual(['by-another-process']);
  });

  it('reports the change when the file changed again before the second write, after two attempts', async () => {
    let attempts = 0;
    const overtaken = async (store: ObjectStore): Promise<unknown> => {
      attempts += 1;
      await (await open()).add({ name: `meanwhile-${attempts}`, kind: 'secret', value: Buffer.from('x') });
      return store.add({ name: 'mine', kind: 'secret', value: Buffer.from('3') });
    };
    const error = await changeObjects(open, overtaken).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_CHANGED' });
    expect(attempts).toBe(2);
    expect((await open()).list().map((object) => object.name)).toEqual(['first', 'meanwhile-1', 'meanwhile-2']);
  });

  it('makes a refused change once only when the refusal is not about a changed file', async () => {
    let attempts = 0;
    const duplicate = (store: ObjectStore): Promise<unknown> => {
      attempts += 1;
      return store.add({ name: 'first', kind: 'secret', value: Buffer.from('again') });
    };
    await expect(changeObjects(open, duplicate)).rejects.toMatchObject({ code: 'OBJECT_EXISTS' });
    expect(attempts).toBe(1);
  });
});
