// A change of the store's objects (add, generate, delete) made on the store as it is on disk. The store
// refuses a write over a file that changed since it was read (STORE_CHANGED): another process may have
// re-wrapped the header (Apply) or changed objects. Adding, generating or deleting one object does not
// depend on the rest of the store, so such a change is made once more on a fresh read instead of failing.
import { StoreError } from './errors';
import type { ObjectStore } from './object-store';

/**
 * Runs `change` on `opened` (default: a store just opened with `open`) and, when the file changed
 * between that read and the write, once more on a store opened again. A second refusal is reported.
 */
export async function changeObjects<T>(open: () => Promise<ObjectStore>, change: (store: ObjectStore) => Promise<T>, opened?: ObjectStore): Promise<T> {
  try {
    return await change(opened ?? (await open()));
  } catch (error) {
    if (!(error instanceof StoreError && error.code === 'STORE_CHANGED')) throw error;
    return change(await open());
  }
}
