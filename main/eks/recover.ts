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
  const { header, kind, objectCount } = await readStoreHeader(sourcePath).catch((error: unknown) => {
    if (role === 'backup' && error instanceof StoreError && error.code === 'STORE_NOT_FOUND') {
      throw new StoreError(
        'BACKUP_NOT_FOUND',
        `The backup file ${sourcePath} is not there: it was moved or deleted since it was chosen, or the path is wrong. Nothing was restored: choose the file again where it is now.`,
        sourcePath,
      );
    }
    throw role === 'backup' ? asBackupFault(error, sourcePath) : error;
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
 * A backup file that does not verify: the store's advice for that case, "restore it from a backup",
 * would point the operator at the very file that failed.
 */
function asBackupFault(error: unknown, backupPath: string): unknown {
  if (!(error instanceof StoreError) || error.code !== 'STORE_TAMPERED') return error;
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
 * the same store would drop whatever changed since it was made (BACKUP_REPLACES_STORE).
 */
export async function assertRestoreAllowed(dataDir: string, backupStoreId: string, replaceStore: boolean): Promise<void> {
  const current = replaceStore ? null : await storeInDataFolder(dataDir);
  if (current === null) return;
  const where = storeFilePath(dataDir);
  if ('damaged' in current) {
    throw new EksError(
      'BACKUP_REPLACES_STORE',
      `The store at ${where} is damaged: it does not read as a store. Restoring the backup puts the backup in its place; confirm replacing it.`,
    );
  }
  if (current.storeId !== backupStoreId) {
    throw new EksError(
      'BACKUP_OF_OTHER_STORE',
      `The backup is of store ${backupStoreId}, but the data folder holds another store (${current.storeId}, ${current.objectCount} objects) at ${where}. ` +
        'Restore into an empty data folder, or confirm replacing that store.',
    );
  }
  throw new EksError(
    'BACKUP_REPLACES_STORE',
    `The data folder already holds store ${current.storeId} (${current.objectCount} objects) at ${where}: restoring the backup puts its objects in ` +
      'place of these, and whatever changed since the backup was made is lost. Recover the store in place instead, or confirm replacing it.',
  );
}

/**
 * The store in the data folder that a restore would replace, or null when there is none. A damaged
 * one is reported, not thrown: restoring a backup over it is the way out, and must stay open.
 */
export async function storeInDataFolder(dataDir: string): Promise<StoreInDataFolder | null> {
  try {
    const { header, objectCount } = await readStoreHeader(storeFilePath(dataDir));
    return { storeId: header.storeId, objectCount };
  } catch (error) {
    if (error instanceof StoreError && error.code === 'STORE_NOT_FOUND') return null;
    if (error instanceof StoreError && error.code === 'STORE_TAMPERED') return { damaged: true, problem: error.message };
    throw error;
  }
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

/** The recorded unique identifier first, then every object with the recorded Name. */
async function findAdminKey(client: KmipClient, header: AdminKeyHeader, where: string): Promise<{ key: Buffer; uniqueIdentifier: string }> {
  const { name, uniqueIdentifier, generation } = header.adminKey;
  const matches = (bytes: Uint8Array) => isAdminKeyOf(header, bytes);
  const recorded = await getKeyBytes(client, uniqueIdentifier);
  if (recorded && matches(recorded.bytes)) return { key: Buffer.from(recorded.bytes), uniqueIdentifier };
  const { found, candidates } = await findKeyByName(client, name, matches, new Set([uniqueIdentifier]));
  if (found) return { key: Buffer.from(found.bytes), uniqueIdentifier: found.uniqueIdentifier };
  const appliedOn = `${header.adminKey.server.host}:${header.adminKey.server.port}`;
  if (candidates === 0 && !recorded) {
    throw new EksError(
      'ADMIN_KEY_NOT_FOUND',
      `No such key on this server: ${where} shows this client no object named "${name}" and no unique identifier ${uniqueIdentifier} ` +
        `(Admin Key generation ${generation}, registered on ${appliedOn}). Connect to that server with the client identity it was applied with.`,
    );
  }
  throw new EksError(
    'ADMIN_KEY_MISMATCH',
    `${where} holds ${candidates + (recorded ? 1 : 0)} object(s) under the Admin Key's Name or identifier, but none opens this store ` +
      `(generation ${generation}, registered on ${appliedOn}): the backup was made with a different store or key server.`,
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
      replacing = await ObjectStore.fileBytes(storePath);
      if (request.source.kind === 'backup') await assertRestoreAllowed(request.dataDir, read.storeId, request.replaceStore === true);
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
      const result = await findAdminKey(client, header, where);
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
    return {
      state: 'needs-recovery',
      reason: error.message,
      cause: error.code,
      // Recovery in place reads this same file: only a backup can replace a damaged one.
      ...(error.code === 'STORE_TAMPERED' || error.code === 'STORE_UNREADABLE' ? { damaged: true } : {}),
      ...(header ? { storeId: header.storeId, adminKeyGeneration: header.adminKey?.generation ?? 0 } : {}),
    };
  }
}
