// Protected copies of loaded certificate/key files: <dataDir>/files/<slot>-<hash>.<ext>, mode
// 0600, sealed with AES-256-GCM under a key kept in the OS keychain: a loaded private key is a
// secret, and no secret reaches a file in plaintext (PRODUCT.md §6). Names carry a content hash so
// the pending and the applied copy of a slot can differ; copies no settings refer to any more are
// removed.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FileFormat, FileSlotId } from '../../common/pki-types';
import { ensureFolder } from '../files';
import { IV_BYTES, TAG_BYTES, open, seal, writeFileAtomic } from '../store';
import { SettingsError } from './errors';

export const FILES_DIR_NAME = 'files';

/** First bytes of a sealed copy: "kmip-console file", version 1. Copies written before have none. */
const SEALED_MAGIC = Buffer.from('KCF1', 'ascii');

export function filesDir(dataDir: string): string {
  return path.join(dataDir, FILES_DIR_NAME);
}

/** Seals `bytes` under `key` and writes them as a copy for `slot`; returns the copy's file name. */
export async function storeCredentialFile(dataDir: string, slot: FileSlotId, format: FileFormat, bytes: Buffer, key: Buffer): Promise<string> {
  const fileName = `${slot}-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.${format}`;
  // The name is bound to the content: a copy renamed to stand for another cannot be opened.
  const { iv, tag, ciphertext } = seal(key, bytes, fileName);
  await ensureFolder(filesDir(dataDir), 'folder of loaded files');
  await writeFileAtomic(path.join(filesDir(dataDir), fileName), Buffer.concat([SEALED_MAGIC, iv, tag, ciphertext]), { mode: 0o600 });
  return fileName;
}

/** The bytes of a stored copy; `key` gives the files key (null when the keychain has none). */
export async function readStoredCredentialFile(dataDir: string, fileName: string, slot: FileSlotId, key: () => Promise<Buffer | null>): Promise<Buffer> {
  const file = path.join(filesDir(dataDir), path.basename(fileName));
  let stored: Buffer;
  try {
    stored = await readFile(file);
  } catch (cause) {
    throw new SettingsError(
      'STORED_FILE_MISSING',
      `The stored copy of ${slot} (${file}) is missing or unreadable: load the file again under Advanced.`,
      { field: slot, cause },
    );
  }
  if (!stored.subarray(0, SEALED_MAGIC.length).equals(SEALED_MAGIC)) return stored; // a copy from before sealing
  const at = SEALED_MAGIC.length;
  const sealed = { iv: stored.subarray(at, at + IV_BYTES), tag: stored.subarray(at + IV_BYTES, at + IV_BYTES + TAG_BYTES), ciphertext: stored.subarray(at + IV_BYTES + TAG_BYTES) };
  const filesKey = await key();
  const bytes = filesKey && open(filesKey, sealed, path.basename(fileName));
  if (!bytes) {
    throw new SettingsError(
      'STORED_FILE_MISSING',
      `The stored copy of ${slot} (${file}) cannot be opened: ${filesKey ? 'it was changed on disk' : 'the key of the stored copies is not in the OS keychain'}. Load the file again under Advanced.`,
      { field: slot },
    );
  }
  return bytes;
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
