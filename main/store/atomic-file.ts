// Crash-safe file replacement: after a crash the target holds either the old or the new bytes.
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** file mode of a newly written file (default 0600: store files hold wrapped keys) */
  mode?: number;
  /** called after the temporary file is flushed and before it replaces the target (crash tests) */
  beforeRename?: () => Promise<void>;
}

function tempPrefix(target: string): string {
  return `.${path.basename(target)}.`;
}

/** Whether process `pid` exists (EPERM: it exists but belongs to another user). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files of `target` left by writers that died before their rename (a crash). */
export async function removeStaleTempFiles(target: string): Promise<void> {
  const prefix = tempPrefix(target);
  for (const name of await readdir(path.dirname(target))) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length).split('.')[0]) : NaN;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isProcessRunning(pid)) {
      await rm(path.join(path.dirname(target), name), { force: true });
    }
  }
}

function tempFileFor(target: string): string {
  return path.join(path.dirname(target), `${tempPrefix(target)}${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes `bytes` zero bytes to a temporary file beside `target`, as writeFileAtomic would, and removes
 * it: throws the file system's error when the folder is missing, read-only or full. A leftover (a crash
 * meanwhile) is a temporary file removeStaleTempFiles removes.
 */
export async function probeWritable(target: string, bytes: number): Promise<void> {
  const temp = tempFileFor(target);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(Buffer.alloc(bytes));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await removeAfterFailure(temp);
    throw error;
  }
  await rm(temp, { force: true });
}

/**
 * Removes the temporary file of a write that failed. The write's error is the one to report (a full
 * disk, a read-only folder): a failure to remove the file as well (EIO, EBUSY) must not take its place.
 * A file left is one removeStaleTempFiles removes once this process has ended.
 */
async function removeAfterFailure(temp: string): Promise<void> {
  await rm(temp, { force: true }).catch(() => undefined);
}

/** Writes `data` to a temporary file in the same folder, flushes it, renames it over `target`, flushes the folder. */
export async function writeFileAtomic(target: string, data: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const folder = path.dirname(target);
  const temp = tempFileFor(target);
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await options.beforeRename?.();
    await rename(temp, target);
  } catch (error) {
    await removeAfterFailure(temp);
    throw error;
  }
  await flushFolder(folder);
}

/**
 * Flushes the folder entry, which makes a rename durable. Best effort: once the rename is done the
 * new bytes are what every reader sees, so a failure here must not be reported as a failed write
 * (callers would undo a change that took effect). Windows cannot open a folder at all, and a crash
 * before the entry reaches the disk still leaves the old bytes or the new ones.
 */
async function flushFolder(folder: string): Promise<void> {
  let dir;
  try {
    dir = await open(folder, 'r');
    await dir.sync();
  } catch {
    // the rename stands: see above
  } finally {
    await dir?.close().catch(() => undefined);
  }
}
