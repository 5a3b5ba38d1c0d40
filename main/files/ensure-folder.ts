// Creates a folder and its missing parents, owner-only. Not with mkdir({ recursive: true }): Node's
// loops for ever where the kernel refuses a name with ENOENT under an existing folder (e.g. /proc/x).
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserFileError } from './errors';

/** `folder`, or null when nothing is there (or a parent is not a folder: checking the parent says which). */
async function folderInfo(folder: string): Promise<{ isDirectory(): boolean } | null> {
  return stat(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
    throw error;
  });
}

/** Makes sure `folder` is a folder, creating it (mode 0700) and missing parents; `what` names it in errors ("data folder"). */
export async function ensureFolder(folder: string, what: string): Promise<void> {
  await ensureFolderOf(folder, `the ${what} "${folder}"`);
}

/** `target` describes the folder asked for, for errors found at `folder` (it or a parent). */
async function ensureFolderOf(folder: string, target: string): Promise<void> {
  let info;
  try {
    info = await folderInfo(folder);
  } catch (cause) {
    throw new UserFileError('FILE_UNWRITABLE', `Cannot use ${target}: "${folder}" gives ${(cause as NodeJS.ErrnoException).code ?? String(cause)}.`, folder, { cause });
  }
  if (info) {
    if (info.isDirectory()) return;
    throw new UserFileError('FILE_UNWRITABLE', `Cannot use ${target}: "${folder}" is a file, not a folder. Give another path.`, folder);
  }
  const parent = path.dirname(folder);
  if (parent !== folder) await ensureFolderOf(parent, target);
  try {
    await mkdir(folder, { mode: 0o700 });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    if (code === 'EEXIST') return ensureFolderOf(folder, target); // created meanwhile, or a file appeared
    const why = code === 'EACCES' || code === 'EPERM' ? 'this user may not create it there' : `creating "${folder}" gives ${code}`;
    throw new UserFileError('FILE_UNWRITABLE', `Cannot create ${target}: ${why}. Give a path this user can create folders in.`, folder, { cause });
  }
}
