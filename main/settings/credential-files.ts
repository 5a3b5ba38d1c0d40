// Copies of loaded certificate/key files: <dataDir>/files/<slot>-<hash>.<ext>, mode 0600. A copy
// that holds a secret (a private key, or a PKCS#12 file, whose bags may hold one) is sealed with
// AES-256-GCM under a key kept in the OS keychain: no secret reaches a file in plaintext
// (PRODUCT.md §6). A copy of public certificates only is written as it is, so loading a CA or
// client certificate needs no keychain. Names carry a content hash so the pending and the applied
// copy of a slot can differ; copies no settings refer to any more are removed.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FileFormat, FileSlotId, LoadedFileDetails } from '../../common/pki-types';
import { FIELDS } from '../../common/settings';
import { ensureFolder } from '../files';
import { IV_BYTES, TAG_BYTES, open, seal, writeFileAtomic } from '../store';
import { SettingsError, settingsWriteFailed, whereToLoad } from './errors';

export const FILES_DIR_NAME = 'files';

/** First bytes of a sealed copy: "kmip-console file", version 1. Plain copies have none. */
const SEALED_MAGIC = Buffer.from('KCF1', 'ascii');

function startsAsSealed(bytes: Buffer): boolean {
  return bytes.subarray(0, SEALED_MAGIC.length).equals(SEALED_MAGIC);
}

/** One well-formed PEM certificate block: the only text a plain copy may hold. */
const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/g;

/**
 * Whether the copy of a loaded file must be sealed. Only a PEM text made of certificate blocks and
 * blanks, nothing else, is copied as it is: the parser passes over what it does not take (a key
 * block cut short or mislabelled, base64 pasted without a header), and that may be a secret.
 */
export function copyNeedsSealing(format: FileFormat, details: LoadedFileDetails, bytes: Buffer): boolean {
  if (format === 'p12' || details.privateKey !== null || details.encrypted) return true;
  const text = bytes.toString('latin1');
  return !text.includes('-----BEGIN CERTIFICATE-----') || text.replace(CERTIFICATE_BLOCK, '').trim() !== '';
}

export function filesDir(dataDir: string): string {
  return path.join(dataDir, FILES_DIR_NAME);
}

/** The name of the copy of `bytes` for `slot`: the same content always gets the same name. */
export function credentialFileName(slot: FileSlotId, format: FileFormat, bytes: Buffer): string {
  return `${slot}-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.${format}`;
}

/**
 * Writes the copy of `bytes` for `slot`, sealed under `key`, or as it is when `key` is null (see
 * copyNeedsSealing); returns the copy's file name.
 */
export async function storeCredentialFile(dataDir: string, slot: FileSlotId, format: FileFormat, bytes: Buffer, key: Buffer | null): Promise<string> {
  const fileName = credentialFileName(slot, format, bytes);
  let content = bytes;
  if (key) {
    // The name is bound to the content: a copy renamed to stand for another cannot be opened.
    const { iv, tag, ciphertext } = seal(key, bytes, fileName);
    content = Buffer.concat([SEALED_MAGIC, iv, tag, ciphertext]);
  }
  await ensureFolder(filesDir(dataDir), 'folder of loaded files');
  const target = path.join(filesDir(dataDir), fileName);
  try {
    await writeFileAtomic(target, content, { mode: 0o600 });
  } catch (cause) {
    throw settingsWriteFailed(`The copy of ${FIELDS[slot].label} could not be written to ${target}`, cause, 'check that the data folder is writable.');
  }
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
      `The stored copy of ${FIELDS[slot].label} (${file}) is missing or unreadable: load the file again (${whereToLoad(slot)}).`,
      { field: slot, cause },
    );
  }
  if (!startsAsSealed(stored)) return stored; // public certificates only, or a copy from before sealing
  const at = SEALED_MAGIC.length;
  const sealed = { iv: stored.subarray(at, at + IV_BYTES), tag: stored.subarray(at + IV_BYTES, at + IV_BYTES + TAG_BYTES), ciphertext: stored.subarray(at + IV_BYTES + TAG_BYTES) };
  const filesKey = await key();
  const bytes = filesKey && open(filesKey, sealed, path.basename(fileName));
  if (!bytes) {
    throw new SettingsError(
      'STORED_FILE_MISSING',
      `The stored copy of ${FIELDS[slot].label} (${file}) cannot be opened: ${filesKey ? 'it was changed on disk' : 'the key of the stored copies is not in the OS keychain'}. Load the file again (${whereToLoad(slot)}).`,
      { field: slot },
    );
  }
  return bytes;
}

/** Removes the copies `names` (missing ones count as removed); returns those that could not be removed. */
export async function removeStoredCopies(dataDir: string, names: readonly string[]): Promise<string[]> {
  const results = await Promise.allSettled(names.map((name) => rm(path.join(filesDir(dataDir), name), { force: true })));
  return names.filter((_, index) => results[index]?.status === 'rejected');
}

/**
 * Removes copies that none of `keep` names (and stale temporary files). Best effort, never throws:
 * such copies are never read, and this runs after a change is saved, which must then not be
 * reported (or undone) as failed; the next change tries again.
 */
export async function removeUnreferencedFiles(dataDir: string, keep: ReadonlySet<string>): Promise<void> {
  let names: string[];
  try {
    names = await readdir(filesDir(dataDir));
  } catch {
    return;
  }
  await removeStoredCopies(dataDir, names.filter((name) => !keep.has(name)));
}
