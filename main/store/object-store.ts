// The encrypted object store (PRODUCT.md §4): named secrets and keys, encrypted under a random data key;
// the data key wrapped by the local unlock key (OS keychain) and by the current Admin Key generation
// (key server). Every change rewrites the whole file atomically, so the header and the objects always
// match the MAC.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { objectNameProblem } from '../../common/object-name';
import { OBJECT_VALUE_MAX_BYTES } from '../../common/object-value';
import { isSameFile, outOfSpaceReason, readUserFile, UserFileError, writeUserFile } from '../files';
import { probeWritable, removeStaleTempFiles, writeFileAtomic, type AtomicWriteOptions } from './atomic-file';
import { KEY_BYTES, fileMac, keyCheckValue, open, sameBytes, seal, type Sealed } from './crypto';
import { StoreError } from './errors';
import { lockOwnerAdvice, withLockFile } from './lock-file';
import {
  FORMAT_VERSION,
  STORE_FORMAT,
  parse,
  serialize,
  type AdminKeyRef,
  type ObjectKind,
  type StoreBody,
  type StoreHeader,
  type StoredObject,
  type WrappedKey,
} from './format';

/** Keeps each store's local unlock key; the app backs it with the OS keychain. */
export interface LocalUnlockKeys {
  /** the store's local unlock key, or null when there is none */
  load(storeId: string): Promise<Buffer | null>;
  save(storeId: string, key: Buffer): Promise<void>;
  remove(storeId: string): Promise<void>;
}

/** Where key material comes from: the OS CSPRNG, or the generator mixed with key-server entropy. */
export type RandomSource = (size: number) => Buffer;

export interface ObjectInfo {
  id: string;
  name: string;
  kind: ObjectKind;
  created: string;
  /** length of the value in bytes */
  size: number;
}

export const MAX_GENERATED_KEY_BYTES = 1024;
/** how long a change waits for another process's change of the same store file */
const LOCK_WAIT_MS = 10_000;
/** The form of the ids add() gives objects (randomUUID). */
type WrapRole = 'local' | 'admin';

function wrapContext(header: StoreHeader, role: WrapRole): string {
  return role === 'local'
    ? `kmip-console/store/v1/wrap/local/${header.storeId}`
    : `kmip-console/store/v1/wrap/admin/${header.storeId}/${header.adminKey?.generation ?? 0}`;
}

function objectContext(storeId: string, objectId: string): string {
  return `kmip-console/store/v1/object/${storeId}/${objectId}`;
}

function toSealed(fields: { iv: string; ciphertext: string; tag: string }): Sealed {
  return {
    iv: Buffer.from(fields.iv, 'base64'),
    ciphertext: Buffer.from(fields.ciphertext, 'base64'),
    tag: Buffer.from(fields.tag, 'base64'),
  };
}

function fromSealed(sealed: Sealed): { iv: string; ciphertext: string; tag: string } {
  return {
    iv: sealed.iv.toString('base64'),
    ciphertext: sealed.ciphertext.toString('base64'),
    tag: sealed.tag.toString('base64'),
  };
}

function assertKey(key: Buffer, what: string): void {
  if (key.length !== KEY_BYTES) throw new StoreError('WRONG_KEY', `${what} must be ${KEY_BYTES} bytes (AES-256); got ${key.length}.`);
}

function wrapDataKey(header: StoreHeader, role: WrapRole, wrappingKey: Buffer, dataKey: Buffer): WrappedKey {
  return { algorithm: 'A256GCM', ...fromSealed(seal(wrappingKey, dataKey, wrapContext(header, role))), keyCheck: keyCheckValue(wrappingKey).toString('base64') };
}

/**
 * Unwraps the data key. When the unwrap fails, the key check value tells whether the key offered is the
 * wrong one (WRONG_KEY) or the key is right and the wrapped key or its context was modified (STORE_TAMPERED).
 */
function unwrapDataKey(header: StoreHeader, role: WrapRole, wrappingKey: Buffer, filePath: string): Buffer {
  const wrapped = header.wrappedDataKey[role];
  if (!wrapped) {
    throw role === 'admin'
      ? new StoreError('NO_ADMIN_KEY', `${filePath} has no Admin Key yet: run Apply first; the key server cannot open it.`, filePath)
      : new StoreError('LOCAL_UNLOCK_MISSING', `${filePath} has no local unlock: recover it from the key server.`, filePath);
  }
  if (role === 'admin' && !header.adminKey) {
    throw new StoreError('STORE_TAMPERED', `${filePath} was modified outside kmip-console (Admin Key wrap without its reference).`, filePath);
  }
  const dataKey = open(wrappingKey, toSealed(wrapped), wrapContext(header, role));
  if (dataKey && dataKey.length === KEY_BYTES) return dataKey;
  if (sameBytes(keyCheckValue(wrappingKey), Buffer.from(wrapped.keyCheck, 'base64'))) {
    throw new StoreError(
      'STORE_TAMPERED',
      `${filePath} was modified outside kmip-console (the wrapped data key does not verify). Restore it from a backup.`,
      filePath,
    );
  }
  throw role === 'admin'
    ? new StoreError(
        'WRONG_KEY',
        `The Admin Key from the key server does not open ${filePath} (generation ${header.adminKey?.generation}): the key server holds a different key under that name or identifier.`,
        filePath,
      )
    : new StoreError(
        'WRONG_KEY',
        `The local unlock key in the OS keychain does not open ${filePath}: recover the store from the key server to re-create the local unlock.`,
        filePath,
      );
}

/**
 * Above what kmip-console can write: a store's body is one JSON string, and V8 strings hold at most
 * 2^29 characters. A larger file is some other file, and is refused before it is read.
 */
const MAX_STORE_FILE_BYTES = 2 ** 30;
/** The most assertCanWrite writes to find out: enough to find a full disk, not a second copy of a large store. */
const PROBE_MAX_BYTES = 1 << 20;
/**
 * Free space assertCanWrite asks for beyond the new store file's size (plus 1 % of it, for the file
 * system's own records of a large file: block maps, checksums). It covers what Apply writes besides the
 * re-wrapped store: the Admin Key's reference and wrap in the header (under 1 KiB), the rounding of the
 * new file up to whole blocks (one block, 4 KiB on most file systems), the lock files (a block each),
 * and the applied settings file written after the store (a few KiB; the old store's blocks are free again
 * by then). 64 KiB holds all of these several times over, and is nothing on a disk that is not full.
 */
const STORE_WRITE_MARGIN_BYTES = 64 * 1024;

/** fs.statfs, as far as assertCanWrite uses it. */
export type FolderSpace = (folder: string) => Promise<{ bavail: number; bsize: number; blocks: number }>;

/**
 * The bytes free for an unprivileged user in `folder`'s file system (blocks kept for root do not
 * count, as in df's Avail: root may in fact write more), or null where the file system or the platform
 * cannot tell, and the caller goes by its probe: a file system that reports no size at all (ramfs, a
 * FUSE file system without statfs) reports 0 free whatever it holds.
 */
async function freeBytes(folder: string, space: FolderSpace): Promise<number | null> {
  try {
    const { bavail, bsize, blocks } = await space(folder);
    if (!(Number(blocks) > 0)) return null;
    const free = Number(bavail) * Number(bsize);
    return Number.isFinite(free) && free >= 0 ? free : null;
  } catch {
    return null;
  }
}

/** A size for a message: bytes, KiB or MiB, as precise as a reader needs to compare two of them. */
function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(2)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/**
 * How much room the store write needs and how much there is, for the message of a full disk; '' when
 * the free space is unknown, or enough (a quota, which statfs does not see, is what ran out then).
 */
function spaceNeeded(needed: number, free: number | null, storeExists: boolean): string {
  if (free === null || free >= needed) return '';
  const [neededText, freeText] = sizeText(needed) === sizeText(free) ? [`${needed} bytes`, `${free} bytes`] : [sizeText(needed), sizeText(free)];
  const why = storeExists ? 'the new store file is written beside the old one before it replaces it' : 'the first store file and the applied settings are written there';
  return `: ${why}, so about ${neededText} must be free there, and ${freeText} is free`;
}

async function readStoreFile(filePath: string): Promise<Buffer> {
  try {
    return await readUserFile(filePath, { what: 'kmip-console store or backup file', maxBytes: MAX_STORE_FILE_BYTES });
  } catch (error) {
    if (!(error instanceof UserFileError)) throw error;
    if (error.code === 'FILE_NOT_FOUND') {
      throw new StoreError('STORE_NOT_FOUND', `No store at ${filePath}: nothing has been stored or applied yet, or the data folder is wrong.`, filePath);
    }
    throw new StoreError('STORE_UNREADABLE', error.message, filePath, { cause: error });
  }
}

/** Whether `key` is the Admin Key this header's data key is wrapped under (compares key check values). */
export function isAdminKeyOf(header: StoreHeader, key: Uint8Array): boolean {
  const wrapped = header.wrappedDataKey.admin;
  return wrapped !== null && key.length === KEY_BYTES && sameBytes(keyCheckValue(Buffer.from(key)), Buffer.from(wrapped.keyCheck, 'base64'));
}

/** Reads a store or backup header without any key (for status and recovery). Not authenticated until unlocked. */
export async function readStoreHeader(filePath: string): Promise<{ kind: StoreBody['kind']; header: StoreHeader; objectCount: number }> {
  const { body } = parse(await readStoreFile(filePath), filePath);
  return { kind: body.kind, header: body.header, objectCount: body.objects.length };
}

export class ObjectStore {
  /**
   * A local unlock key made for this store that the keychain does not hold yet. The next write saves it,
   * once that write's check passed: a write refused because another process changed the file leaves
   * nothing behind in the keychain.
   */
  private unsavedLocalUnlock: { unlockKeys: LocalUnlockKeys; key: Buffer } | null = null;

  private constructor(
    /** where this store is written */
    private filePath: string,
    private body: StoreBody,
    private readonly dataKey: Buffer,
    /** the bytes last read from or written to filePath; null while the store exists only in memory */
    private diskBytes: Buffer | null,
    private readonly random: RandomSource,
  ) {}

  /**
   * A new empty store with a fresh data key (and a fresh store id unless one is given). The file, and
   * its local unlock key in `unlockKeys`, are written by the first change (add, generate, installAdminKey).
   */
  static async initialize(
    filePath: string,
    unlockKeys: LocalUnlockKeys,
    options: { random?: RandomSource; storeId?: string } = {},
  ): Promise<ObjectStore> {
    const random = options.random ?? randomBytes;
    const header: StoreHeader = {
      storeId: options.storeId ?? randomUUID(),
      formatVersion: FORMAT_VERSION,
      adminKey: null,
      wrappedDataKey: { local: null, admin: null },
    };
    const store = new ObjectStore(filePath, { format: STORE_FORMAT, kind: 'store', header, objects: [] }, random(KEY_BYTES), null, random);
    store.body = { ...store.body, header: await store.newLocalUnlock(unlockKeys) };
    return store;
  }

  /**
   * Refuses (STORE_WRITE_FAILED) when the store file cannot be written now: its folder is missing or
   * read-only, or the disk has no room for a file of about its size. Apply asks before it registers an
   * Admin Key, which a store write that then fails would leave unused on the key server.
   * A small file written and removed proves the folder writable (and, where the file system cannot tell
   * its free space, that some room is left); the free space for this user (statfs) must then hold a new
   * file of the store's size beside the old one, with STORE_WRITE_MARGIN_BYTES (see there). `options.statfs`
   * stands in for fs.statfs in tests. Not seen: a disk quota (statfs ignores it) beyond the probe's size,
   * and space that fills between this check and the write; the store write then fails after Register, and
   * Apply's report names the unused key.
   */
  static async assertCanWrite(filePath: string, options: { statfs?: FolderSpace } = {}): Promise<void> {
    const folder = path.dirname(filePath);
    const existing = await stat(filePath).catch(() => null);
    const size = existing?.size ?? 0;
    const needed = size + Math.ceil(size / 100) + STORE_WRITE_MARGIN_BYTES;
    const free = (): Promise<number | null> => freeBytes(folder, options.statfs ?? statfs);
    try {
      await probeWritable(filePath, Math.min(size, PROBE_MAX_BYTES) + 4096);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? 'error';
      const outOfSpace = outOfSpaceReason(cause);
      const reason = outOfSpace ? `${outOfSpace}${spaceNeeded(needed, await free(), existing !== null)}` : 'check that the folder exists and is writable';
      throw new StoreError('STORE_WRITE_FAILED', `Cannot write the store file in ${folder} (${code}): ${reason}.`, filePath, { cause });
    }
    const available = await free();
    if (available !== null && available < needed) {
      // The file system's figure, not a write that failed: no error code to name, the same advice.
      throw new StoreError('STORE_WRITE_FAILED', `Cannot write the store file in ${folder}: the disk is full${spaceNeeded(needed, available, existing !== null)}.`, filePath);
    }
  }

  /** Opens the store with its local unlock key from `unlockKeys`. */
  static async open(filePath: string, unlockKeys: LocalUnlockKeys, random: RandomSource = randomBytes): Promise<ObjectStore> {
    const bytes = await readStoreFile(filePath);
    const parsed = parse(bytes, filePath);
    const { header } = parsed.body;
    if (!header.wrappedDataKey.local) {
      throw new StoreError('LOCAL_UNLOCK_MISSING', `${filePath} is a backup without a local unlock: restore it with recovery from the key server.`, filePath);
    }
    const localKey = await unlockKeys.load(header.storeId);
    if (!localKey) {
      throw new StoreError(
        'LOCAL_UNLOCK_MISSING',
        `The local unlock key of store ${header.storeId} is not in the OS keychain: recover the store from the key server.`,
        filePath,
      );
    }
    assertKey(localKey, 'The local unlock key');
    return ObjectStore.verified(filePath, bytes, unwrapDataKey(header, 'local', localKey, filePath), random);
  }

  /** The bytes of the store file at `filePath`, or null when there is none: what relinkLocalUnlock may replace. */
  static async fileBytes(filePath: string): Promise<Buffer | null> {
    try {
      return await readStoreFile(filePath);
    } catch (error) {
      if (error instanceof StoreError && error.code === 'STORE_NOT_FOUND') return null;
      throw error;
    }
  }

  /** Opens a store or a backup with the Admin Key fetched from the key server (recovery). */
  static async openWithAdminKey(filePath: string, adminKey: Buffer, random: RandomSource = randomBytes): Promise<ObjectStore> {
    assertKey(adminKey, 'The Admin Key');
    const bytes = await readStoreFile(filePath);
    const { header } = parse(bytes, filePath).body;
    return ObjectStore.verified(filePath, bytes, unwrapDataKey(header, 'admin', adminKey, filePath), random);
  }

  private static verified(filePath: string, bytes: Buffer, dataKey: Buffer, random: RandomSource): ObjectStore {
    const parsed = parse(bytes, filePath);
    if (!sameBytes(fileMac(dataKey, parsed.bodyBytes), parsed.mac)) {
      throw new StoreError('STORE_TAMPERED', `${filePath} was modified outside kmip-console (the MAC does not verify). Restore it from a backup.`, filePath);
    }
    return new ObjectStore(filePath, parsed.body, dataKey, bytes, random);
  }

  get path(): string {
    return this.filePath;
  }

  get header(): StoreHeader {
    return this.body.header;
  }

  get kind(): StoreBody['kind'] {
    return this.body.kind;
  }

  /** true once the store has been written to disk */
  get persisted(): boolean {
    return this.diskBytes !== null;
  }

  list(): ObjectInfo[] {
    return this.body.objects.map(describe);
  }

  get(idOrName: string): { info: ObjectInfo; value: Buffer } {
    const object = this.find(idOrName);
    const value = open(this.dataKey, toSealed(object), objectContext(this.header.storeId, object.id));
    if (!value) {
      throw new StoreError('STORE_TAMPERED', `Object '${object.name}' in ${this.filePath} does not decrypt: the file was modified. Restore it from a backup.`, this.filePath);
    }
    return { info: describe(object), value };
  }

  /** Decrypts every object: the integrity check run after a recovery. */
  verifyObjects(): void {
    for (const object of this.body.objects) this.get(object.id);
  }

  /**
   * The name a new object would get (`name` trimmed); throws when it is not a valid name or an object
   * has it already. add() checks it again: a caller may ask before it does slow work, such as fetching entropy.
   */
  newObjectName(name: string): string {
    const trimmed = name.trim();
    const nameProblem = objectNameProblem(trimmed);
    if (nameProblem !== null) throw new StoreError('INVALID_OBJECT', nameProblem);
    if (this.body.objects.some((o) => o.name === trimmed)) {
      throw new StoreError('OBJECT_EXISTS', `An object named '${trimmed}' already exists: delete it first or choose another name.`);
    }
    return trimmed;
  }

  async add(input: { name: string; kind: ObjectKind; value: Buffer }): Promise<ObjectInfo> {
    const name = this.newObjectName(input.name);
    if (input.value.length === 0 || input.value.length > OBJECT_VALUE_MAX_BYTES) {
      throw new StoreError('INVALID_OBJECT', `An object value must be 1–${OBJECT_VALUE_MAX_BYTES} bytes; got ${input.value.length}.`);
    }
    const id = randomUUID();
    const object: StoredObject = {
      id,
      name,
      kind: input.kind,
      created: new Date().toISOString(),
      ...fromSealed(seal(this.dataKey, input.value, objectContext(this.header.storeId, id))),
    };
    await this.write({ ...this.body, objects: [...this.body.objects, object] });
    return describe(object);
  }

  /** Adds a random key of `size` bytes drawn from the store's random source. */
  async generate(input: { name: string; size: number }): Promise<ObjectInfo> {
    if (!Number.isInteger(input.size) || input.size < 1 || input.size > MAX_GENERATED_KEY_BYTES) {
      throw new StoreError('INVALID_OBJECT', `A generated key must be 1–${MAX_GENERATED_KEY_BYTES} bytes; got ${input.size}.`);
    }
    return this.add({ name: input.name, kind: 'key', value: this.random(input.size) });
  }

  async delete(idOrName: string): Promise<ObjectInfo> {
    const object = this.find(idOrName);
    await this.write({ ...this.body, objects: this.body.objects.filter((o) => o.id !== object.id) });
    return describe(object);
  }

  /**
   * Re-wraps the data key under a new Admin Key generation and writes the header atomically (Apply step 4).
   * The generation must be above the store's (Apply skips generations whose Names the key server holds).
   * Objects another process added or deleted since this store read the file are kept: the re-wrap
   * changes the header alone (see objectsOnDisk). Resolves with the file it replaced (null: none), which
   * is what revertTo puts back if the change this belongs to fails.
   */
  async installAdminKey(adminKey: Buffer, ref: AdminKeyRef, options: AtomicWriteOptions = {}): Promise<Buffer | null> {
    assertKey(adminKey, 'The Admin Key');
    const current = this.header.adminKey?.generation ?? 0;
    if (ref.generation <= current) {
      throw new StoreError('STORE_CHANGED', `Admin Key generation ${ref.generation} is not above the store's generation ${current}: run Apply again.`, this.filePath);
    }
    const header: StoreHeader = { ...this.header, adminKey: ref };
    header.wrappedDataKey = { ...header.wrappedDataKey, admin: wrapDataKey(header, 'admin', adminKey, this.dataKey) };
    return this.write({ ...this.body, header }, options, { keepObjectsOnDisk: true });
  }

  /**
   * Re-creates the local unlock (recovery): the data key is wrapped under the local unlock key (see
   * newLocalUnlock), and the store is written to `targetPath` as a store (not a backup). The store then
   * lives at `targetPath`. `replacing` is the file recovery decided to replace there (see fileBytes;
   * null: none), by default the file this store was opened from, or none at another path. When the file
   * at `targetPath` is no longer that, nothing is written and nothing saved (STORE_CHANGED): a store
   * another process wrote meanwhile is never replaced unseen.
   */
  async relinkLocalUnlock(unlockKeys: LocalUnlockKeys, targetPath: string, replacing?: Buffer | null): Promise<void> {
    const header = await this.newLocalUnlock(unlockKeys);
    if (replacing !== undefined) this.diskBytes = replacing;
    else if (targetPath !== this.filePath) this.diskBytes = null;
    this.filePath = targetPath;
    await this.write({ ...this.body, kind: 'store', header });
  }

  /** Writes a self-contained backup: header and objects, without the local unlock wrap. Opening it needs the key server. */
  async exportBackup(targetPath: string): Promise<void> {
    const backup = this.backupBytes();
    // A backup has no local unlock: written over the store, it would leave a store only Recover can open.
    if (await isSameFile(targetPath, this.filePath)) {
      throw new StoreError(
        'BACKUP_OVER_STORE',
        `${targetPath} is the store itself: a backup written there would replace it. Choose another file, best on other media than the data folder.`,
        targetPath,
      );
    }
    await writeUserFile(targetPath, backup, 'backup file');
  }

  /** The bytes of a backup (see exportBackup), for a caller that sends them elsewhere than a file (standard output). */
  backupBytes(): Buffer {
    if (!this.header.adminKey || !this.header.wrappedDataKey.admin) {
      throw new StoreError('NO_ADMIN_KEY', 'The store has no Admin Key yet, so a backup could never be opened: run Apply first.', this.filePath);
    }
    const body: StoreBody = {
      ...this.body,
      kind: 'backup',
      header: { ...this.header, wrappedDataKey: { ...this.header.wrappedDataKey, local: null } },
    };
    return serialize(body, (bytes) => fileMac(this.dataKey, bytes));
  }

  /**
   * Wraps the data key under this machine's local unlock key for the store: the one already in
   * `unlockKeys` (another data folder restored from the same store on this machine keeps working),
   * else a new random key, which the next write saves before the file that needs it.
   */
  private async newLocalUnlock(unlockKeys: LocalUnlockKeys): Promise<StoreHeader> {
    const existing = await unlockKeys.load(this.header.storeId);
    const localKey = existing?.length === KEY_BYTES ? existing : this.random(KEY_BYTES);
    this.unsavedLocalUnlock = localKey === existing ? null : { unlockKeys, key: localKey };
    return { ...this.header, wrappedDataKey: { ...this.header.wrappedDataKey, local: wrapDataKey(this.header, 'local', localKey, this.dataKey) } };
  }

  private find(idOrName: string): StoredObject {
    // Names are trimmed when added, so " db " finds "db".
    const wanted = idOrName.trim();
    const object = this.body.objects.find((o) => o.id === wanted) ?? this.body.objects.find((o) => o.name === wanted);
    if (!object) throw new StoreError('OBJECT_NOT_FOUND', `No object '${idOrName}' in the store: list the objects to see their names.`, this.filePath);
    return object;
  }

  /**
   * Undoes installAdminKey when the change it belonged to failed (Apply's settings step): the file gets
   * back `previous`'s header (what installAdminKey resolved with; null: no file, i.e. no Admin Key),
   * a change of the header alone like the re-wrap, so objects another process added or deleted since
   * are kept (see objectsOnDisk). With no previous file and no such change, the file is removed (see
   * persisted). Refuses (STORE_CHANGED) when another process changed the header meanwhile: the file
   * then keeps whatever it references.
   */
  async revertTo(previous: Buffer | null): Promise<void> {
    const header: StoreHeader = previous
      ? parse(previous, this.filePath).body.header
      : { ...this.header, adminKey: null, wrappedDataKey: { ...this.header.wrappedDataKey, admin: null } };
    await this.write({ ...this.body, header }, {}, { keepObjectsOnDisk: true, removeIfUnchanged: previous === null });
  }

  /**
   * Writes `next` over the file, then adopts it; resolves with the file it replaced (null: none).
   * Refuses (STORE_CHANGED) when the file on disk is no longer the one this store read (or, for
   * recovery, decided to replace), except that with `keepObjectsOnDisk` (a change of the header alone)
   * the objects of the file on disk are written instead of next's; with `removeIfUnchanged` too, a file
   * still the one this store read is removed instead (revertTo to no file). The check, the saving of a
   * new local unlock key and the write hold the store's lock file, so that two processes cannot both
   * pass the check and one silently overwrite the other's change.
   */
  private async write(
    next: StoreBody,
    options: AtomicWriteOptions = {},
    { keepObjectsOnDisk = false, removeIfUnchanged = false } = {},
  ): Promise<Buffer | null> {
    const written = await this.locked(async () => {
      const onDisk = keepObjectsOnDisk ? await this.objectsOnDisk() : { bytes: await this.assertUnchangedOnDisk(), objects: next.objects };
      const body = { ...next, objects: onDisk.objects, header: await this.withLocalUnlockNowInKeychain(next.header) };
      if (removeIfUnchanged && this.sameAsRead(onDisk.bytes)) {
        await rm(this.filePath, { force: true });
        return { body, bytes: null, replaced: onDisk.bytes };
      }
      const bytes = serialize(body, (bodyBytes) => fileMac(this.dataKey, bodyBytes));
      await removeStaleTempFiles(this.filePath);
      if (this.unsavedLocalUnlock) {
        await this.unsavedLocalUnlock.unlockKeys.save(this.header.storeId, this.unsavedLocalUnlock.key);
        this.unsavedLocalUnlock = null;
      }
      await writeFileAtomic(this.filePath, bytes, options);
      return { body, bytes, replaced: onDisk.bytes };
    });
    this.body = written.body;
    this.diskBytes = written.bytes;
    return written.replaced;
  }

  /**
   * `header`, wrapped under the local unlock key the keychain holds now when this store made a new one
   * that is not saved yet and another process saved one for the same store meanwhile (a restore of the
   * same store into another data folder): the keychain holds one key per store, so saving this one
   * would lock that folder out. Then nothing is left to save. Called holding the lock, just before the
   * write, so that only the moments between this check and the save can still race.
   */
  private async withLocalUnlockNowInKeychain(header: StoreHeader): Promise<StoreHeader> {
    if (!this.unsavedLocalUnlock) return header;
    const saved = await this.unsavedLocalUnlock.unlockKeys.load(header.storeId);
    if (saved?.length !== KEY_BYTES) return header;
    this.unsavedLocalUnlock = null;
    return { ...header, wrappedDataKey: { ...header.wrappedDataKey, local: wrapDataKey(header, 'local', saved, this.dataKey) } };
  }

  /**
   * The objects of the file on disk, for a write that changes the header alone: this store's own when
   * the file is the one it read, else those of a file in which another process only added or deleted
   * objects since (same kind and header, and a MAC under this store's data key, so the same store and
   * data key). Anything else is STORE_CHANGED. Called holding the lock.
   */
  private async objectsOnDisk(): Promise<{ bytes: Buffer | null; objects: StoredObject[] }> {
    const current = await this.readFileOnDisk();
    if (this.sameAsRead(current)) return { bytes: current, objects: this.body.objects };
    if (current && this.diskBytes) {
      const read = parse(this.diskBytes, this.filePath).body;
      const onDisk = (() => {
        try {
          return parse(current, this.filePath);
        } catch {
          return null; // no store any more: changed
        }
      })();
      if (
        onDisk &&
        onDisk.body.kind === read.kind &&
        isDeepStrictEqual(onDisk.body.header, read.header) &&
        sameBytes(fileMac(this.dataKey, onDisk.bodyBytes), onDisk.mac)
      ) {
        return { bytes: current, objects: onDisk.body.objects };
      }
    }
    throw this.changedError();
  }

  /** Runs `operation` holding `<store file>.lock`; file-system failures become STORE_WRITE_FAILED. */
  private locked<T>(operation: () => Promise<T>): Promise<T> {
    const file = this.filePath;
    const lockFile = `${file}.lock`;
    const writeFailed = (code: string, cause: unknown): StoreError =>
      new StoreError('STORE_WRITE_FAILED', `Cannot write ${file} (${code}): check that its folder exists and is writable and that the disk has free space, then run the action again.`, file, { cause });
    return withLockFile(
      lockFile,
      async () => {
        try {
          return await operation();
        } catch (error) {
          const { code, syscall } = error as NodeJS.ErrnoException;
          throw code !== undefined && syscall !== undefined ? writeFailed(code, error) : error;
        }
      },
      {
        waitMs: LOCK_WAIT_MS,
        failed: writeFailed,
        busy: (owner) =>
          new StoreError(
            'STORE_BUSY',
            `${file} is being changed ${lockOwnerAdvice(owner, lockFile, 'run the action again')}`,
            file,
          ),
      },
    );
  }

  /** The file on disk, when it is the one this store read (else STORE_CHANGED). */
  private async assertUnchangedOnDisk(): Promise<Buffer | null> {
    const current = await this.readFileOnDisk();
    if (!this.sameAsRead(current)) throw this.changedError();
    return current;
  }

  private async readFileOnDisk(): Promise<Buffer | null> {
    try {
      return await readFile(this.filePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return null;
    }
  }

  private sameAsRead(current: Buffer | null): boolean {
    return current === null ? this.diskBytes === null : this.diskBytes !== null && current.equals(this.diskBytes);
  }

  private changedError(): StoreError {
    return new StoreError('STORE_CHANGED', `${this.filePath} was changed by another kmip-console process since it was opened: retry.`, this.filePath);
  }
}

function describe(object: StoredObject): ObjectInfo {
  return {
    id: object.id,
    name: object.name,
    kind: object.kind,
    created: object.created,
    size: Buffer.from(object.ciphertext, 'base64').length,
  };
}
