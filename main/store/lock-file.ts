// Serialises changes between processes (the app and a `kmip-console` CLI on the same data folder):
// an exclusive lock file naming its owner: `<pid>\n<start token>\n`. The start token (see
// process-identity.ts) tells one process with that pid from another: a lock left by a killed process
// is taken over when its pid runs no more, or when the pid now belongs to another process (reused
// after a reboot, or after the pid numbers wrapped). A live owner, even a slow or stopped one, is
// never taken over, nor is the owner of a lock written in another pid namespace (a sandbox). Taking
// over is itself serialised (see removeIfStale): two waiters that both find the lock stale must not
// both delete it, or the second deletes the lock the first just took.
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatIdentity, inOtherNamespace, ownerGone, parseIdentity, processIdentity } from './process-identity';

const RETRY_MS = 50;
/** a lock file without a readable pid (crash between create and write) older than this is stale */
const UNREADABLE_LOCK_STALE_MS = 5_000;

/** Who holds a lock, as far as its file tells. */
export interface LockOwner {
  /** null when the file holds no readable pid */
  pid: number | null;
  /** written in another pid or time namespace (see inOtherNamespace): `pid` means nothing here */
  otherNamespace: boolean;
}

/**
 * Who holds a lock and what the user may do, for a busy error: "<subject> is being changed " + this.
 * `retry` is what to do once the owner is done ("run the action again"). An owner in another namespace
 * (inside or outside a sandbox, whichever side this process is on) recorded a pid of its own namespace,
 * which names no process, or another one, here: it cannot be checked, only closed where it runs.
 */
export function lockOwnerAdvice(owner: LockOwner, lockFile: string, retry: string): string {
  if (owner.otherNamespace) {
    return (
      'by kmip-console in another namespace than this process (inside or outside a Flatpak sandbox or a container' +
      `${owner.pid ? `; the pid it recorded, ${owner.pid}, does not identify it here` : ''}): ` +
      `wait for it to finish, or close kmip-console there first, and ${retry}; only if no kmip-console runs there any more, delete ${lockFile}.`
    );
  }
  return `by another kmip-console process${owner.pid ? ` (pid ${owner.pid})` : ''}: wait for it to finish and ${retry}; if no such process runs, delete ${lockFile}.`;
}

export interface LockFileOptions {
  /** how long to wait for a live owner before giving up */
  waitMs: number;
  /** the error when a live process still holds the lock after waitMs */
  busy: (owner: LockOwner) => Error;
  /** the error when the lock file cannot be created for any other reason than an owner */
  failed: (code: string, cause: unknown) => Error;
  /** called once when the lock file's folder does not exist (its error ends the wait); creating the lock is then retried */
  createFolder?: () => Promise<void>;
}

/** The age of `file` in ms, or null when it is gone. */
async function ageOf(file: string): Promise<number | null> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch {
    return null;
  }
}

async function ownerOf(file: string): Promise<LockOwner & { stale: boolean }> {
  try {
    const [pidLine, identityLine] = (await readFile(file, 'utf8')).split('\n');
    const pid = Number.parseInt(pidLine ?? '', 10);
    if (Number.isInteger(pid) && pid > 0) {
      const recorded = parseIdentity(identityLine);
      const own = recorded && (await processIdentity());
      return { pid, stale: await ownerGone(pid, recorded), otherNamespace: Boolean(recorded && own && inOtherNamespace(recorded, own)) };
    }
    const age = await ageOf(file);
    return { pid: null, stale: age !== null && age > UNREADABLE_LOCK_STALE_MS, otherNamespace: false };
  } catch {
    return { pid: null, stale: false, otherNamespace: false }; // released meanwhile: just retry
  }
}

/**
 * Creates `file` holding this process's pid and start token (the pid alone where there is no
 * token); fails with EEXIST when it exists. When they cannot be written (a full disk), the file is
 * removed again: left empty, it would read as another process's lock ("being changed by another
 * kmip-console process") until it is old enough to be taken over.
 */
async function createLockFile(file: string): Promise<void> {
  const identity = await processIdentity();
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(identity ? `${process.pid}\n${formatIdentity(identity)}\n` : `${process.pid}\n`);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(file, { force: true });
    throw error;
  }
  await handle.close();
}

/**
 * A takeover guard is held for the few milliseconds of one check and deletion: one older than this
 * was left by a process killed (or stopped) during a takeover, whatever pid it names (the pid may
 * have been reused since).
 */
const GUARD_STALE_MS = 2_000;

/**
 * Removes a takeover guard left by a killed process. It is moved aside first and deleted only if the
 * file moved is still the old one: a waiter that found it stale too may have removed it and taken a
 * guard of its own meanwhile, and that fresh guard is put back, not deleted.
 */
async function removeStaleGuard(guard: string): Promise<void> {
  const moved = `${guard}.${process.pid}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(guard, moved);
  } catch {
    return; // gone already
  }
  const age = await ageOf(moved);
  if (age !== null && age < GUARD_STALE_MS) await link(moved, guard).catch(() => undefined);
  await rm(moved, { force: true });
}

/**
 * Deletes the lock file `file` if its owner is gone (see ownerGone), deciding under a second lock
 * file (the takeover guard), so that the check and the deletion are one step for every waiter.
 * Returns a live waiter holding the guard (the caller waits as for the lock itself), else null.
 */
async function removeIfStale(file: string): Promise<{ guardHolder: LockOwner } | null> {
  const guard = `${file}.takeover`;
  try {
    await createLockFile(guard);
  } catch {
    const age = await ageOf(guard);
    if (age !== null && age > GUARD_STALE_MS) {
      await removeStaleGuard(guard);
      return null;
    }
    return { guardHolder: await ownerOf(guard) };
  }
  try {
    if ((await ownerOf(file)).stale) await rm(file, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
  return null;
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
      // A stale lock is removed at once; a takeover in progress is waited for like the lock.
      const guarded = owner.stale ? await removeIfStale(file) : null;
      if (owner.stale && !guarded) continue;
      if (Date.now() > deadline) throw options.busy(guarded ? guarded.guardHolder : owner);
      await sleep(RETRY_MS);
    }
  }
  try {
    return await operation();
  } finally {
    await rm(file, { force: true });
  }
}
