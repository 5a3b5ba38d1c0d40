// Writes a file to a path a person named (a backup, a settings export), crash-safely. The write
// replaces the target by renaming a new file over it, which would also replace a device, a FIFO or a
// symbolic link (as root, `backup /dev/null` would swap /dev/null for a file): only a missing target
// or a regular file is written. File-system failures become messages that name the folder or file.
import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file';
import { UserFileError } from './errors';
import { outOfSpaceReason } from './out-of-space';

/** Whether anything (file, folder, link, device) is at `target`; nothing is read. */
export async function pathExists(target: string): Promise<boolean> {
  return lstat(target).then(
    () => true,
    () => false,
  );
}

/** Whether both paths name one existing file (through links, `..`, or another mount of the folder). */
export async function isSameFile(a: string, b: string): Promise<boolean> {
  const [first, second] = await Promise.all([stat(a).catch(() => null), stat(b).catch(() => null)]);
  return first !== null && second !== null && first.dev === second.dev && first.ino === second.ino;
}

/** Throws FILE_UNWRITABLE when `target` exists and is not a regular file (a folder, link, device): writeUserFile never replaces one. */
export async function assertReplaceable(target: string, what: string): Promise<void> {
  let info: Awaited<ReturnType<typeof lstat>> | null;
  try {
    info = await lstat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw await writeFailure(target, error); // e.g. a file where a folder should be
    info = null;
  }
  if (info === null || info.isFile()) return;
  const kind = info.isDirectory() ? 'a folder' : info.isSymbolicLink() ? 'a symbolic link' : 'a device, pipe or socket';
  throw new UserFileError('FILE_UNWRITABLE', `"${target}" is ${kind}, not a file: name the ${what} to write, with its file name.`, target);
}

async function writeFailure(target: string, cause: unknown): Promise<UserFileError> {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const folder = path.dirname(target);
  const missingFolder = (code === 'ENOENT' || code === 'ENOTDIR') && !(await pathExists(folder));
  const outOfSpace = outOfSpaceReason(cause);
  const message = missingFolder
    ? `Cannot write "${target}": the folder "${folder}" does not exist. Create it, or choose another folder.`
    : code === 'ENOENT' || code === 'ENOTDIR'
      ? `Cannot write "${target}": "${folder}" is not a folder files can be created in. Choose another folder.`
      : code === 'EACCES' || code === 'EPERM'
        ? `Cannot write "${target}": this user may not write in "${folder}". Choose a folder this user can write to.`
        : code === 'EROFS'
          ? `Cannot write "${target}": "${folder}" is on a read-only file system. Choose another folder.`
          : outOfSpace
            ? `Cannot write "${target}": ${outOfSpace}. Free space, or choose another disk.`
            : code === 'EIO'
              ? `Cannot write "${target}": the disk reported an I/O error. Check the disk, or choose another one.`
              : `Cannot write "${target}" (${code ?? String(cause)}). Check the folder, or choose another one.`;
  // A full or failing disk is not a wrong path: the file was not written although the command did its work.
  return new UserFileError(outOfSpace || code === 'EIO' ? 'FILE_NOT_WRITTEN' : 'FILE_UNWRITABLE', message, target, { cause });
}

/** Writes `data` to `target` (replacing a regular file there); throws a UserFileError naming what is wrong. */
export async function writeUserFile(target: string, data: Uint8Array, what: string): Promise<void> {
  try {
    await assertReplaceable(target, what);
    await writeFileAtomic(target, data);
  } catch (error) {
    throw error instanceof UserFileError ? error : await writeFailure(target, error);
  }
}
