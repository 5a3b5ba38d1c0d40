// Serialises changes between processes (the app and a `kmip-console` CLI on the same data folder):
// an exclusive lock file holding the owner's pid. A lock left by a killed process is detected by its
// pid and taken over. Taking over is itself serialised (see removeIfStale): two waiters that both
// find the lock stale must not both delete it, or the second deletes the lock the first just took.
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessRunning } from './atomic-file';

const RETRY_MS = 50;
/** a lock file without a readable pid (crash between create and write) older than this is stale */
const UNREADABLE_LOCK_STALE_MS = 5_000;

export interface LockFileOptions {
  /** how long to wait for a live owner before giving up */
  waitMs: number;
  /** the error when a live process still holds the lock after waitMs (its pid when readable) */
  busy: (ownerPid: number | null) => Error;
  /** the error when the lock file cannot be created for any other reason than an owner */
  failed: (code: string, cause: unknown) => Error;
  /** called once when the lock file's folder does not exist (its error ends the wait); creating the lock is then retried */
  createFolder?: () => Promise<void>;
}

async function ownerOf(file: string): Promise<{ pid: number | null; stale: boolean }> {
  try {
    const pid = Number.parseInt(await readFile(file, 'utf8'), 10);
    if (Number.isInteger(pid) && pid > 0) return { pid, stale: !isProcessRunning(pid) };
    const age = Date.now() - (await stat(file)).mtimeMs;
    return { pid: null, stale: age > UNREADABLE_LOCK_STALE_MS };
  } catch {
    return { pid: null, stale: false }; // released meanwhile: just retry
  }
}

/** Creates `file` holding this process's pid; fails with EEXIST when it exists. */
async function createLockFile(file: string): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(`${process.pid}\n`);
  } finally {
    await handle.close();
  }
}

/**
 * Deletes the lock file `file` if its owner is dead, deciding under a second lock file (the
 * takeover guard), so that the check and the deletion are one step for every waiter. The guard
 * is held only for that step; one left by a process killed during it is removed as stale.
 */
async function removeIfStale(file: string): Promise<void> {
  const guard = `${file}.takeover`;
  try {
    await createLockFile(guard);
  } catch {
    // Another waiter is taking over (the caller retries), or died doing so.
    if ((await ownerOf(guard)).stale) await rm(guard, { force: true });
    return;
  }
  try {
    if ((await ownerOf(file)).stale) await rm(file, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/** Runs `operation` while holding the lock file `file`, waiting up to `waitMs` for another holder. */
export async function withLockFile<T>(file: string, operation: () => Promise<T>, options: LockFileOptions): Promise<T> {
  const deadline = Date.now() + options.waitMs;
  let createdFolder = false;
  for (;;) {
    try {
      await createLockFile(file);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      if (code === 'ENOENT' && options.createFolder && !createdFolder) {
        createdFolder = true;
        await options.createFolder();
        continue;
      }
      if (code !== 'EEXIST') throw options.failed(code, error);
      const owner = await ownerOf(file);
      if (owner.stale) {
        await removeIfStale(file);
        continue;
      }
      if (Date.now() > deadline) throw options.busy(owner.pid);
      await sleep(RETRY_MS);
    }
  }
  try {
    return await operation();
  } finally {
    await rm(file, { force: true });
  }
}
