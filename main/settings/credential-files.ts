// Protected copies of loaded certificate/key files: <dataDir>/files/<slot>-<hash>.<ext>, mode
// 0600. Names carry a content hash so the pending and the applied copy of a slot can differ;
// copies no settings refer to any more are removed.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FileFormat, FileSlotId } from '../../common/pki-types';
import { ensureFolder } from '../files';
import { writeFileAtomic } from '../store';
import { SettingsError } from './errors';

export const FILES_DIR_NAME = 'files';

export function filesDir(dataDir: string): string {
  return path.join(dataDir, FILES_DIR_NAME);
}

export async function storeCredentialFile(dataDir: string, slot: FileSlotId, format: FileFormat, bytes: Buffer): Promise<string> {
  const fileName = `${slot}-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.${format}`;
  await ensureFolder(filesDir(dataDir), 'folder of loaded files');
  await writeFileAtomic(path.join(filesDir(dataDir), fileName), bytes, { mode: 0o600 });
  return fileName;
}

export async function readStoredCredentialFile(dataDir: string, fileName: string, slot: FileSlotId): Promise<Buffer> {
  const file = path.join(filesDir(dataDir), path.basename(fileName));
  try {
    return await readFile(file);
  } catch (cause) {
    throw new SettingsError(
      'STORED_FILE_MISSING',
      `The stored copy of ${slot} (${file}) is missing or unreadable: load the file again under Advanced.`,
      { field: slot, cause },
    );
  }
}

/** Removes copies that none of `keep` names (and stale temporary files). */
export async function removeUnreferencedFiles(dataDir: string, keep: ReadonlySet<string>): Promise<void> {
  let names: string[];
  try {
    names = await readdir(filesDir(dataDir));
  } catch {
    return;
  }
  await Promise.all(names.filter((name) => !keep.has(name)).map((name) => rm(path.join(filesDir(dataDir), name), { force: true })));
}
