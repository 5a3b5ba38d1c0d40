// Recovery from External Key Server (PRODUCT.md §3): find the Admin Key recorded in the store (or
// backup) header on the key server, unwrap the data key, verify the store, re-create the local unlock.
import type { RecoverResult, RecoveryState, StoreInDataFolder } from '../../common/ipc';
import { State, type KmipClient, type KmipClientOptions } from '../kmip';
import {
  ObjectStore,
  StoreError,
  isAdminKeyOf,
  readStoreHeader,
  storeFilePath,
  type LocalUnlockKeys,
  type StoreHeader,
} from '../store';
import { findKeyByName, getKeyBytes, keyState } from './admin-key';
import { STORE_MISSING_FIX } from './apply';
import { EksError } from './errors';
import { KmipSession } from './kmip-session';
import { stateName } from './names';
import type { RunCancel } from './run-cancel';
import { StepRunner, type StepListener } from './steps';
import { asStoreFault, isDamagedStore, storeFileDamage } from './store-file-fault';

export const RECOVER_STEPS = [
  { id: 'read', label: 'Read the store header' },
  { id: 'connect', label: 'Connect and negotiate' },
  { id: 'locate', label: 'Locate the Admin Key' },
  { id: 'unwrap', label: 'Unwrap the data key and check integrity' },
  { id: 'relink', label: 'Re-create the local unlock' },
  { id: 'settings', label: 'Apply the settings used for recovery' },
] as const;

export type RecoverySource =
  /** the store in the data folder, whose local unlock is lost */
  | { kind: 'store' }
  /** a backup file, restored into the data folder */
  | { kind: 'backup'; path: string };

export interface RecoverRequest {
  dataDir: string;
  unlockKeys: LocalUnlockKeys;
  /** settings for recovery (the dialog in recovery mode) as connection options */
  connection: KmipClientOptions;
  source: RecoverySource;
  /** let a backup replace the store in the data folder (refused otherwise: see assertRestoreAllowed) */
  replaceStore?: boolean;
  /** makes the settings used for recovery the applied ones, once the store is recovered (skipped when absent) */
  commitSettings?: () => Promise<void>;
}

type AdminKeyHeader = StoreHeader & { adminKey: NonNullable<StoreHeader['adminKey']> };

/**
 * The header of the store in the data folder (`role` 'store') or of a backup file to restore
 * ('backup') that recovery can open: one applied to a key server (else NO_ADMIN_KEY).
 */
export async function readRecoverableHeader(
  sourcePath: string,
  role: RecoverySource['kind'],
): Promise<{ kind: 'store' | 'backup'; header: AdminKeyHeader; objectCount: number }> {
  const { header, kind, objectCount } = await readStoreHeader(sourcePath).catch(async (error: unknown) => {
    if (role === 'store' && error instanceof StoreError && error.code === 'STORE_NOT_FOUND') {
      throw new StoreError(
        'STORE_NOT_FOUND',
        `No store at ${sourcePath} to recover in place: this data folder holds no store file (a new machine, or a reinstall?), or the data folder is wrong. ` +
          'To put a store on this machine, restore a backup file of it.',
        sourcePath,
        { cause: error },
      );
    }
    throw role === 'backup' ? asBackupFault(error, sourcePath) : await asStoreFault(error, sourcePath);
  });
  if (!header.adminKey || !header.wrappedDataKey.admin) {
    throw new StoreError(
      'NO_ADMIN_KEY',
      `${sourcePath} was never applied, so no key server holds its Admin Key: it can only be opened with its local unlock.`,
      sourcePath,
    );
  }
  return { kind, header: header as AdminKeyHeader, objectCount };
}

/**
 * A backup file's fault in the backup's words, whenever it shows (the header is read, then the file is
 * opened again to unwrap): the store's words would speak of the data folder ("No store at …", "restore it
 * from a backup", which would point the operator at the very file that failed).
 */
function asBackupFault(error: unknown, backupPath: string): unknown {
  if (!(error instanceof StoreError)) return error;
  if (error.code === 'STORE_NOT_FOUND') {
    return new StoreError(
      'BACKUP_NOT_FOUND',
      `The backup file ${backupPath} is not there: it was moved or deleted since it was chosen, or the path is wrong. Nothing was restored: choose the file again where it is now.`,
      backupPath,
      { cause: error },
    );
  }
  if (error.code !== 'STORE_TAMPERED') return error;
  return new StoreError(
    'BACKUP_DAMAGED',
    `The backup file ${backupPath} is damaged or was changed since it was made: it does not verify. Nothing was restored.`,
    backupPath,
    { cause: error },
  );
}

/**
 * Refuses to restore a backup of store `backupStoreId` over the store in the data folder unless
 * `replaceStore`: a backup of another store would replace it (BACKUP_OF_OTHER_STORE), and a backup of
 * the same store would drop whatever changed since it was made (BACKUP_REPLACES_STORE). With
 * `unlockKeys`, the store is also opened with its local unlock, so that one whose MAC does not verify
 * is reported as damaged, and in-place recovery is suggested only where it can help.
 */
export async function assertRestoreAllowed(dataDir: string, backupStoreId: string, replaceStore: boolean, unlockKeys?: LocalUnlockKeys): Promise<void> {
  if (replaceStore) return;
  const where = storeFilePath(dataDir);
  const current = await dataFolderStore(dataDir, unlockKeys);
  if (current === null) return;
  if ('damaged' in current) {
    throw new EksError(
      'BACKUP_REPLACES_STORE',
      `The store in the data folder is damaged: ${current.problem} Recovery in place reads this file and cannot repair it: restoring the backup puts the backup in its place; confirm replacing it.`,
      [],
      { fix: `Confirm replacing the damaged ${where} with the backup (--replace, or the checkbox in System Recovery Options).` },
    );
  }
  if (current.storeId !== backupStoreId) {
    throw new EksError(
      'BACKUP_OF_OTHER_STORE',
      `The backup is of store ${backupStoreId}, but the data folder holds another store (${current.storeId}, ${current.objectCount} objects) at ${where}. ` +
        'Restore into an empty data folder, or confirm replacing that store.',
    );
  }
  const replaces =
    `The data folder already holds store ${current.storeId} (${current.objectCount} objects) at ${where}: restoring the backup puts its objects in ` +
    'place of these, and whatever changed since the backup was made is lost.';
  if (current.opens) {
    throw new EksError('BACKUP_REPLACES_STORE', `${replaces} That store opens with its local unlock: it needs no recovery. Confirm replacing it only to go back to the backup.`, [], {
      fix: `Nothing needs recovering: ${where} opens. Confirm replacing it with the backup only if you mean to go back to the backup.`,
    });
  }
  throw new EksError(
    'BACKUP_REPLACES_STORE',
    `${replaces} Recover the store in place instead (it reads with the Admin Key; kmip-console recover, without --backup), or confirm replacing it.`,
  );
}

type DataFolderStore = { storeId: string; objectCount: number; opens: boolean | null } | { damaged: true; problem: string };

/**
 * The store in the data folder that a restore would replace, or null when there is none. A damaged one
 * is reported, not thrown: restoring a backup over it is the way out, and must stay open. With
 * `unlockKeys` it is opened with its local unlock (`opens`; null: not known), which finds a changed MAC.
 */
async function dataFolderStore(dataDir: string, unlockKeys?: LocalUnlockKeys): Promise<DataFolderStore | null> {
  const storePath = storeFilePath(dataDir);
  try {
    const { header, objectCount } = await readStoreHeader(storePath);
    let opens: boolean | null = null;
    if (unlockKeys) {
      opens = await ObjectStore.open(storePath, unlockKeys).then(
        () => true,
        (error: unknown) => {
          if (isDamagedStore(error)) throw error;
          return error instanceof StoreError && (error.code === 'LOCAL_UNLOCK_MISSING' || error.code === 'WRONG_KEY') ? false : null;
        },
      );
    }
    return { storeId: header.storeId, objectCount, opens };
  } catch (error) {
    if (error instanceof StoreError && error.code === 'STORE_NOT_FOUND') return null;
    const damage = await storeFileDamage(error, storePath);
    // Without the store's "Restore it from a backup.": restoring one is what is being offered.
    if (damage !== null) return { damaged: true, problem: damage.replace(/ Restore it from a backup\.$/, '') };
    throw error;
  }
}

/**
 * The store in the data folder that a restore would replace, or null when there is none. A damaged
 * one is reported, not thrown: restoring a backup over it is the way out, and must stay open. A folder
 * (or pipe, device) in its place throws STORE_NOT_A_FILE: a restore cannot replace it.
 */
export async function storeInDataFolder(dataDir: string): Promise<StoreInDataFolder | null> {
  const current = await dataFolderStore(dataDir);
  if (current === null || 'damaged' in current) return current;
  return { storeId: current.storeId, objectCount: current.objectCount };
}

/**
 * The failure of a recovery that found the store file in the data folder changed when it came to write
 * it (another kmip-console process wrote it meanwhile): what the folder holds now, and how to go on. A
 * restore that finds a store there takes the refusal codes that confirming the replacement overrides.
 */
async function writtenMeanwhile(request: RecoverRequest, recoveredStoreId: string): Promise<EksError> {
  const where = storeFilePath(request.dataDir);
  const now = await storeInDataFolder(request.dataDir).catch(() => null);
  const holds =
    now === null ? 'no store' : 'damaged' in now ? 'a file that does not read as a store' : `store ${now.storeId} (${now.objectCount} objects)`;
  const lead = `Another kmip-console process wrote ${where} while this recovery ran: the data folder now holds ${holds}.`;
  if (request.source.kind === 'store' || now === null) {
    return new EksError('STORE_CHANGED', `${lead} Nothing was written, and no local unlock key was created: run the recovery again.`);
  }
  const code = 'damaged' in now || now.storeId === recoveredStoreId ? 'BACKUP_REPLACES_STORE' : 'BACKUP_OF_OTHER_STORE';
  return new EksError(
    code,
    `${lead} The backup was not restored, and no local unlock key was created. Run the restore again, and confirm replacing that store if that is what you intend.`,
  );
}

/**
 * Whether `connection` reaches the server the Admin Key was registered on, as far as the header tells:
 * the same address (and, where both are known, the same server certificate).
 */
function recordedServerNote(header: AdminKeyHeader, connection: KmipClientOptions, client: KmipClient): { sameAddress: boolean; note: string } {
  const { server } = header.adminKey;
  const sameAddress = server.host.toLowerCase() === connection.host.toLowerCase() && server.port === connection.port;
  const seen = client.tlsInfo.peerCertificate?.fingerprint256 ?? null;
  const certificateChanged = sameAddress && server.certFingerprintSha256 !== null && seen !== null && seen !== server.certFingerprintSha256;
  return {
    sameAddress,
    note: certificateChanged ? ' (its certificate is another one than at Apply: it may be another server at that address now)' : '',
  };
}

/**
 * The recorded unique identifier first, then every object with the recorded Name. A unique identifier
 * alone proves nothing: servers number their objects themselves ("1", "2", …), so on another server,
 * or after the key was removed, it names an unrelated object. Only the key bytes (their check value)
 * tell that a key is this store's Admin Key.
 */
async function findAdminKey(
  client: KmipClient,
  header: AdminKeyHeader,
  connection: KmipClientOptions,
  sourceKind: RecoverySource['kind'],
): Promise<{ key: Buffer; uniqueIdentifier: string }> {
  const { name, uniqueIdentifier, generation } = header.adminKey;
  const matches = (bytes: Uint8Array) => isAdminKeyOf(header, bytes);
  const recorded = await getKeyBytes(client, uniqueIdentifier);
  if (recorded && matches(recorded.bytes)) return { key: Buffer.from(recorded.bytes), uniqueIdentifier };
  // The recorded identifier is not skipped: whether the object there carries the Name is what tells a stale key from an unrelated object.
  const { found, candidates: named } = await findKeyByName(client, name, matches);
  if (found) return { key: Buffer.from(found.bytes), uniqueIdentifier: found.uniqueIdentifier };
  const where = `${connection.host}:${connection.port}`;
  const appliedOn = `${header.adminKey.server.host}:${header.adminKey.server.port}`;
  const opened = sourceKind === 'backup' ? 'this backup' : 'this store';
  const key = `Admin Key generation ${generation} "${name}" (unique identifier ${uniqueIdentifier}, registered on ${appliedOn})`;
  const { sameAddress, note } = recordedServerNote(header, connection, client);
  const restoreOther =
    sourceKind === 'backup'
      ? 'use another backup, one whose Admin Key generation is still on the key server'
      : 'restore a backup whose Admin Key generation is still on the key server (kmip-console recover --backup FILE --replace, or System Recovery Options → Restore from a backup file)';
  if (named > 0) {
    throw new EksError(
      'ADMIN_KEY_MISMATCH',
      `${where} holds ${named} object(s) named "${name}", the Name of ${opened}'s Admin Key generation ${generation}, but none of them opens ${opened}: ` +
        `the key under that Name is another key than the one ${opened} was wrapped under (registered on ${appliedOn}, unique identifier ${uniqueIdentifier}).`,
      [],
      { fix: `Check on the key server which object is ${opened}'s Admin Key (unique identifier ${uniqueIdentifier} on ${appliedOn}); if it is gone, ${restoreOther}.` },
    );
  }
  const underIdentifier = recorded
    ? `what it holds under unique identifier ${uniqueIdentifier} is another key, which does not open ${opened}`
    : `it shows no key under unique identifier ${uniqueIdentifier}`;
  const none = `No Admin Key of ${opened} on this key server: ${where} shows this client no object named "${name}", and ${underIdentifier} (${key}).`;
  if (sameAddress) {
    throw new EksError(
      'ADMIN_KEY_NOT_FOUND',
      `${none} This is the address the key was registered on${note}. So either the key is no longer there (destroyed, or revoked and removed, ` +
        'on the key server), or this client identity cannot see it (key servers often show an object only to the client identity that registered it).',
      [],
      {
        fix:
          `Check on the key server (its administration tools or log) whether an object named "${name}" or with unique identifier ${uniqueIdentifier} exists, ` +
          `and connect with the client identity ${opened} was applied with. If it was destroyed, ${opened} cannot be recovered from the key server: ${restoreOther}.`,
      },
    );
  }
  throw new EksError(
    'ADMIN_KEY_NOT_FOUND',
    `${none} The key was registered on ${appliedOn}: connect to that server, with the client identity ${opened} was applied with.`,
    [],
    {
      fix:
        `Connect with the settings (server ${appliedOn} and client identity) ${opened} was applied with: key servers often show an object only to its owner. ` +
        `If that server no longer holds the key, ${restoreOther}.`,
    },
  );
}

function notActiveFix(state: number): string {
  const rotate = 'The store is recovered, but its Admin Key is no longer Active on the key server: run Apply now to register a new generation.';
  return state === State.Compromised || state === State.DestroyedCompromised
    ? `${rotate} The key was revoked as compromised: find out why, and treat the objects in the store as possibly exposed.`
    : rotate;
}

/**
 * Runs the recovery. `cancel` stops it at the step in progress until the store starts being written
 * (re-creating the local unlock); nothing has changed then.
 */
export async function runRecover(request: RecoverRequest, onProgress: StepListener, cancel?: RunCancel): Promise<RecoverResult> {
  const what = request.source.kind === 'backup' ? 'the backup was not restored, and the data folder' : 'the store';
  const runner = new StepRunner(
    RECOVER_STEPS,
    onProgress,
    cancel && {
      request: cancel,
      error: () =>
        new EksError(
          'RECOVER_CANCELED',
          `Recovery canceled by the operator. Nothing was changed: ${what}, the OS keychain and the applied settings are as they were.`,
        ),
    },
  );
  const storePath = storeFilePath(request.dataDir);
  const sourcePath = request.source.kind === 'backup' ? request.source.path : storePath;
  const where = `${request.connection.host}:${request.connection.port}`;
  const session = new KmipSession(request.connection, cancel?.signal);
  let adminKey: Buffer | undefined;
  /** the store file in the data folder as this run found it: the one it may replace (null: none) */
  let replacing: Buffer | null = null;
  try {
    const header = await runner.run('read', async (step) => {
      const { header: read, kind, objectCount } = await readRecoverableHeader(sourcePath, request.source.kind);
      // Taken before the check that allows replacing it, so that whatever the check saw is what the write may replace.
      // A folder (or pipe, device) in the store file's place fails here, confirmed or not: it is never replaced.
      replacing = await ObjectStore.fileBytes(storePath).catch(async (error: unknown) => {
        throw await asStoreFault(error, storePath);
      });
      if (request.source.kind === 'backup') await assertRestoreAllowed(request.dataDir, read.storeId, request.replaceStore === true, request.unlockKeys);
      const { generation, name, uniqueIdentifier, server } = read.adminKey;
      step.detail(
        `${kind === 'backup' ? 'backup of store' : 'store'} ${read.storeId} with ${objectCount} objects; Admin Key generation ${generation} "${name}" ` +
          `(unique identifier ${uniqueIdentifier}) on ${server.host}:${server.port}`,
      );
      return read;
    });

    const client = await runner.run('connect', async (step) => {
      const connected = await session.client();
      step.detail(`KMIP ${connected.version} over ${connected.tlsInfo.protocol ?? 'TLS'} to ${where}`);
      return connected;
    });

    const located = await runner.run('locate', async (step) => {
      const result = await findAdminKey(client, header, request.connection, request.source.kind);
      const found =
        `found Admin Key generation ${header.adminKey.generation} as unique identifier ${result.uniqueIdentifier}` +
        (result.uniqueIdentifier === header.adminKey.uniqueIdentifier ? '' : ` (by Name; the header recorded ${header.adminKey.uniqueIdentifier})`);
      const state = await keyState(client, result.uniqueIdentifier);
      if (state === null || state === State.Active) step.detail(found);
      else step.warn(`${found}; the key server marks it ${stateName(state)}`, notActiveFix(state));
      return result;
    });
    adminKey = located.key;

    const store = await runner.run('unwrap', async (step) => {
      let opened: ObjectStore;
      try {
        opened = await ObjectStore.openWithAdminKey(sourcePath, located.key);
        opened.verifyObjects();
      } catch (error) {
        throw request.source.kind === 'backup' ? asBackupFault(error, sourcePath) : error;
      }
      step.detail(`data key unwrapped; header MAC and ${opened.list().length} objects verified`);
      return opened;
    });

    await runner.run('relink', async (step) => {
      try {
        await store.relinkLocalUnlock(request.unlockKeys, storePath, replacing);
      } catch (error) {
        if (error instanceof StoreError && error.code === 'STORE_CHANGED') throw await writtenMeanwhile(request, header.storeId);
        throw error;
      }
      step.detail(`data key wrapped under this machine's local unlock key (OS keychain); store written to ${storePath}`);
    }, { commits: true });

    const { commitSettings } = request;
    if (commitSettings) {
      await runner.run('settings', async (step) => {
        await commitSettings();
        step.detail('the settings used for recovery are now the applied ones');
      });
    } else {
      runner.skip('settings', 'the applied settings were used');
    }

    return {
      steps: runner.snapshot(),
      storeId: store.header.storeId,
      adminKeyGeneration: header.adminKey.generation,
      objectCount: store.list().length,
    };
  } finally {
    adminKey?.fill(0);
    await session.close();
  }
}

/** Whether the store in the data folder unlocks, for the start screen (System Recovery Options). */
export async function recoveryState(dataDir: string, unlockKeys: LocalUnlockKeys, appliedBefore: boolean): Promise<RecoveryState> {
  const storePath = storeFilePath(dataDir);
  try {
    const store = await ObjectStore.open(storePath, unlockKeys);
    return { state: 'ok', storeId: store.header.storeId, adminKeyGeneration: store.header.adminKey?.generation ?? 0 };
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    // Apply always leaves a store behind: after one, a missing store is a loss, not a new machine.
    if (error.code === 'STORE_NOT_FOUND') {
      return appliedBefore ? { state: 'no-store', reason: `${storePath} is missing, although settings were applied. ${STORE_MISSING_FIX}` } : { state: 'no-store' };
    }
    const header = await readStoreHeader(storePath).then(
      (read) => read.header,
      () => null,
    );
    // Described as recovery would describe it: a file there that is no store is a damaged store, a folder is named as one.
    const fault = await asStoreFault(error, storePath).catch((notAFile: unknown) => notAFile);
    const { message, code } = fault instanceof StoreError || fault instanceof EksError ? fault : error;
    return {
      state: 'needs-recovery',
      reason: message,
      cause: code,
      // Recovery in place reads this same file: only a backup can replace a damaged one. Not damaged: a folder in
      // its place (a backup cannot replace it either), a newer format, a file this process may not read.
      ...(code === 'STORE_TAMPERED' ? { damaged: true } : {}),
      ...(header ? { storeId: header.storeId, adminKeyGeneration: header.adminKey?.generation ?? 0 } : {}),
    };
  }
}
