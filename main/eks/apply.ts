// Apply (PRODUCT.md §3): one transaction that registers Admin Key generation N+1 on the key server
// (or the first generation after it whose Name the server does not hold yet), re-wraps the store's
// data key under it, writes the header atomically and applies the pending settings.
// Until the header is renamed into place nothing local has changed; if applying the settings fails
// after that, the previous store header is put back. Keys registered before a failure stay on the
// server unreferenced (they open nothing), unless the store file still references one: the failure
// then says so (see registeredKeyNote).
import { randomUUID } from 'node:crypto';
import type { ApplyResult } from '../../common/ipc';
import type { KmipClientOptions } from '../kmip';
import { ObjectStore, StoreError, readStoreHeader, storeFilePath, type AdminKeyRef, type LocalUnlockKeys } from '../store';
import { activateAdminKey, adminKeyName, firstUnusedGeneration, registerAdminKey, sameKey } from './admin-key';
import { seedFromServer } from './entropy';
import { EksError } from './errors';
import { explain } from './explain';
import { KmipSession } from './kmip-session';
import { mixedRandom, type MixedRandom } from './mixed-random';
import type { RunCancel } from './run-cancel';
import { StepRunner, type StepListener } from './steps';
import { openDataFolderStore } from './store-file-fault';

/** The fix of Apply's entropy warning: there is none to make, and the operator should know it. */
const ENTROPY_NOT_NEEDED =
  'Nothing to do for this Apply: the Admin Key comes from the OS random generator alone, which is enough. ' +
  'To stop asking the key server for entropy, set Disable Entropy Seed.';

export const APPLY_STEPS = [
  { id: 'open-store', label: 'Open the object store' },
  { id: 'connect', label: 'Connect and negotiate' },
  { id: 'entropy', label: 'Entropy seed' },
  { id: 'register', label: 'Register the new Admin Key' },
  { id: 'activate', label: 'Activate the Admin Key' },
  { id: 'verify', label: 'Read the Admin Key back' },
  { id: 'store', label: 'Re-wrap the data key and write the store header' },
  { id: 'settings', label: 'Apply the settings' },
] as const;

/** Points where a crash test may stop Apply (see ApplyRequest.pauseAt). */
export const APPLY_PAUSE_POINTS = [
  'connected',
  'entropy',
  'registered',
  'activated',
  'verified',
  /** the new store file is flushed under a temporary name, not yet renamed */
  'header-staged',
  'header-written',
  'settings-applied',
] as const;
export type ApplyPausePoint = (typeof APPLY_PAUSE_POINTS)[number];

export interface ApplyRequest {
  /** the app's data folder; the store is <dataDir>/store.kcs */
  dataDir: string;
  unlockKeys: LocalUnlockKeys;
  /** the pending settings as connection options (validated with validateForApply first) */
  connection: KmipClientOptions;
  disableEntropySeed: boolean;
  /** settings were applied before, so a store should be in the data folder: its absence is a loss, not a first Apply */
  appliedBefore?: boolean;
  /** makes the pending settings the applied ones; the last step */
  commitSettings(): Promise<void>;
  /** generator of the Admin Key (default: the process generator, with entropy mixed in) */
  random?: MixedRandom;
  /** test hook: awaited at each point, so a crash test can kill the process there */
  pauseAt?: (point: ApplyPausePoint) => Promise<void>;
}

export type ApplyOutcome = Omit<ApplyResult, 'settings'> & { storeId: string; adminKeyId: string };

async function openExistingStore(filePath: string, unlockKeys: LocalUnlockKeys, random: MixedRandom): Promise<ObjectStore | null> {
  try {
    return await openDataFolderStore(filePath, unlockKeys, (size) => random.bytes(size));
  } catch (error) {
    if (error instanceof StoreError && error.code === 'STORE_NOT_FOUND') return null;
    if (error instanceof StoreError && (error.code === 'LOCAL_UNLOCK_MISSING' || error.code === 'WRONG_KEY')) {
      throw new EksError('STORE_NEEDS_RECOVERY', `${error.message} Apply needs the store open; recover it first.`, [], { cause: error });
    }
    throw error;
  }
}

/** Before anything is sent to the key server: a store write that failed after Register would leave its key unused there. */
async function assertStoreWritable(storePath: string): Promise<void> {
  try {
    await ObjectStore.assertCanWrite(storePath);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    throw new EksError(error.code, `${error.message} Nothing was sent to the key server: fix this, then run Apply again.`, [], { cause: error });
  }
}

/** What to do when the store of applied settings is gone; Apply carries on with a new store (the old one's backups still restore). */
export const STORE_MISSING_FIX =
  'If the store was lost or moved, restore it from a backup file (System Recovery Options, or kmip-console store restore FILE); ' +
  'its Admin Key is still on the key server.';

/** Register failed without a final answer: it may have reached, or may still reach, the key server. */
function registerOutcomeUnknown(error: EksError): boolean {
  const failed = error.steps.find((step) => step.status === 'fail');
  // Operation Pending: the server may still register it (asynchronously).
  return failed?.id === 'register' && ['CONNECTION_CLOSED', 'REQUEST_TIMEOUT', 'KMIP_OPERATION_PENDING'].includes(error.code);
}

/** Why a registered key the store does not reference may go, and that it may. */
const UNUSED_KEY = 'the store does not reference it, so it opens nothing; remove it there if your records need it gone.';

/** The Admin Key an Apply registered, as its failure names it. */
interface RegisteredKey {
  generation: number;
  name: string;
  uniqueIdentifier: string;
}

/**
 * What an Apply that failed after registering `key` tells of it, from what the store file at
 * `storePath` references now (read back: a failed revert, or a write that failed after its rename,
 * leaves the store on that key). `revertFailure`: why the previous header could not be put back.
 */
async function registeredKeyNote(storePath: string, key: RegisteredKey, revertFailure: unknown): Promise<string> {
  const registered = `Admin Key this attempt registered, generation ${key.generation} "${key.name}" (unique identifier ${key.uniqueIdentifier})`;
  const notReverted = revertFailure === undefined ? '' : `The previous store header could not be put back (${explain(revertFailure).detail}). `;
  const references = await readStoreHeader(storePath).then(
    ({ header }) => header.adminKey?.name === key.name && header.adminKey.uniqueIdentifier === key.uniqueIdentifier,
    (error: unknown) => (error instanceof StoreError && error.code === 'STORE_NOT_FOUND' ? false : error),
  );
  if (references === false) {
    return `${notReverted}The ${registered}, stays on the key server unused: ${UNUSED_KEY}`;
  }
  const notApplied = 'The settings were not applied: run Apply again.';
  if (references === true) {
    return `${notReverted}${storePath} now uses the ${registered}: KEEP that key on the key server, the store cannot be recovered without it. ${notApplied}`;
  }
  return (
    `${notReverted}${storePath} could not be read back to check whether it uses the ${registered} (${explain(references).detail}): ` +
    `keep that key on the key server while the store's Admin Key generation (see status) is ${key.generation}. ${notApplied}`
  );
}

/** Steps at which a cancel comes after a Register may have reached the key server. */
const AFTER_REGISTER_SENT = new Set<string>(['register', 'activate', 'verify', 'store']);

/**
 * Runs Apply. `cancel` stops it at the step in progress until the store header starts being written
 * (the point of no return); the applied settings and the store then stay as they were.
 */
export async function runApply(request: ApplyRequest, onProgress: StepListener, cancel?: RunCancel): Promise<ApplyOutcome> {
  /** the Name this attempt registers the Admin Key under, once known */
  let attemptName: string | undefined;
  const runner = new StepRunner(
    APPLY_STEPS,
    onProgress,
    cancel && {
      request: cancel,
      error: (step) =>
        new EksError(
          'APPLY_CANCELED',
          `Apply canceled by the operator. Nothing was changed here: the applied settings and the store are as they were.` +
            (attemptName && AFTER_REGISTER_SENT.has(step.id)
              ? ` The key server may hold Admin Key "${attemptName}" from this attempt; the store does not reference it, so it opens nothing.`
              : ''),
        ),
    },
  );
  const random = request.random ?? mixedRandom;
  const pause = request.pauseAt ?? (async () => undefined);
  const storePath = storeFilePath(request.dataDir);
  const session = new KmipSession(request.connection, cancel?.signal);
  const { host, port } = request.connection;
  let adminKey: Buffer | undefined;
  /** the key this attempt registered, until Apply succeeds (registeredKeyNote tells whether the store references it) */
  let registeredKey: RegisteredKey | null = null;
  /** why the settings step could not put the previous store header back, when it could not */
  let revertFailure: unknown;
  try {
    const existing = await runner.run('open-store', async (step) => {
      const store = await openExistingStore(storePath, request.unlockKeys, random);
      await assertStoreWritable(storePath);
      if (store) {
        step.detail(`store ${store.header.storeId}, Admin Key generation ${store.header.adminKey?.generation ?? 0}, ${store.list().length} objects`);
      } else if (request.appliedBefore) {
        step.warn(`${storePath} is missing, although settings were applied before: a new, empty store is created`, STORE_MISSING_FIX);
      } else {
        step.detail('no store yet: a new one is created when the header is written');
      }
      return store;
    });
    const storeId = existing?.header.storeId ?? randomUUID();
    const nextGeneration = (existing?.header.adminKey?.generation ?? 0) + 1;

    const client = await runner.run('connect', async (step) => {
      const connected = await session.client();
      step.detail(`KMIP ${connected.version} over ${connected.tlsInfo.protocol ?? 'TLS'} to ${host}:${port}`);
      return connected;
    });
    await pause('connected');

    let entropy: ApplyOutcome['entropy'] = 'disabled';
    if (request.disableEntropySeed) {
      runner.skip('entropy', 'Disable Entropy Seed is set: no entropy is requested');
    } else {
      await runner.run('entropy', async (step) => {
        try {
          const report = await seedFromServer(client, random, request.connection.protocol);
          entropy = report.status === 'mixed' ? 'mixed' : 'unavailable';
          if (report.status === 'mixed') step.detail(report.detail);
          // The detail says what, if anything, would make entropy available (a Protocol of 1.2 or later).
          else step.warn(report.detail, ENTROPY_NOT_NEEDED);
        } catch (error) {
          // Entropy is added, never relied on: a failed fetch is reported and Apply goes on.
          entropy = 'failed';
          step.warn(`no entropy from the key server: ${explain(error).detail}`, ENTROPY_NOT_NEEDED);
        }
      });
    }
    await pause('entropy');
    // drawn after the entropy step, so that the seed is mixed into it
    const key = random.bytes(32);
    adminKey = key;

    const { registered, generation, name } = await runner.run('register', async (step) => {
      const unused = await firstUnusedGeneration(session, storeId, nextGeneration);
      const keyName = adminKeyName(storeId, unused);
      attemptName = keyName;
      const result = await registerAdminKey(session, key, keyName);
      // next is taken, and so is unused - 1 (the search ends between a taken Name and a free one)
      const skipped =
        unused === nextGeneration
          ? ''
          : unused - 1 === nextGeneration
            ? ` (the Name of generation ${nextGeneration} is taken on the key server)`
            : ` (the Names of generations ${nextGeneration} and ${unused - 1} are taken on the key server)`;
      const afterDrop = {
        found: ' (the connection dropped before Register was answered; a new connection found the key by its Name, so it was not registered twice)',
        're-sent': ' (the connection dropped before Register was answered; a new connection found no key of that Name, so Register was sent again)',
      };
      const dropped = result.afterDrop ? afterDrop[result.afterDrop] : '';
      step.detail(`generation ${unused} registered as ${result.objectType} "${keyName}", unique identifier ${result.uniqueIdentifier}${skipped}${dropped}`);
      return { registered: result, generation: unused, name: keyName };
    });
    registeredKey = { generation, name, uniqueIdentifier: registered.uniqueIdentifier };
    await pause('registered');

    await runner.run('activate', async (step) => {
      const how = await activateAdminKey(session, registered.uniqueIdentifier);
      const afterDrop = {
        activated: '',
        'found-active': ' (the connection dropped before Activate was answered; its State, read on a new connection, shows it took effect)',
        're-sent': ' (the connection dropped before Activate was answered; the key was still Pre-Active, so Activate was sent again)',
      }[how];
      step.detail(`unique identifier ${registered.uniqueIdentifier} is Active${afterDrop}`);
    });
    await pause('activated');

    await runner.run('verify', async (step) => {
      const object = await (await session.client()).get(registered.uniqueIdentifier);
      if (!sameKey(object.keyBytes, key)) {
        throw new EksError('READBACK_MISMATCH', `Get of unique identifier ${registered.uniqueIdentifier} returned other bytes than were registered.`);
      }
      step.detail('Get returned the registered key bytes');
    });
    await pause('verified');

    const ref: AdminKeyRef = {
      generation,
      name,
      uniqueIdentifier: registered.uniqueIdentifier,
      objectType: registered.objectType,
      server: { host, port, certFingerprintSha256: client.tlsInfo.peerCertificate?.fingerprint256 ?? null },
      registeredAt: new Date().toISOString(),
    };
    const { store, previousFile } = await runner.run('store', async (step) => {
      const opened =
        existing ?? (await ObjectStore.initialize(storePath, request.unlockKeys, { random: (size) => random.bytes(size), storeId }));
      const replaced = await opened.installAdminKey(key, ref, { beforeRename: () => pause('header-staged') });
      step.detail(`${storePath}: data key wrapped under Admin Key generation ${generation}`);
      return { store: opened, previousFile: replaced };
    }, { commits: true });
    await pause('header-written');

    await runner.run('settings', async (step) => {
      try {
        await request.commitSettings();
      } catch (error) {
        // Put the previous header back (keeping any object another process stored meanwhile), so that settings
        // and store still match. The failure reported is `error` whatever the revert does; the note on the
        // registered key then says what the store references.
        try {
          await store.revertTo(previousFile);
        } catch (revertError) {
          revertFailure = revertError;
        }
        // A local unlock key left behind names a store that is gone: harmless, and no reason to hide `error`.
        if (!store.persisted) await request.unlockKeys.remove(storeId).catch(() => undefined);
        throw error;
      }
      step.detail('the pending settings are now the applied ones');
    });
    await pause('settings-applied');

    registeredKey = null;
    return { steps: runner.snapshot(), storeId, adminKeyGeneration: generation, adminKeyName: name, adminKeyId: registered.uniqueIdentifier, entropy };
  } catch (error) {
    // A failure after Register leaves that key on the server: say which, and whether the store uses it.
    if (!(error instanceof EksError) || error.code === 'APPLY_CANCELED') throw error;
    const note = registeredKey
      ? await registeredKeyNote(storePath, registeredKey, revertFailure)
      : attemptName && registerOutcomeUnknown(error)
        ? `The key server may hold Admin Key "${attemptName}" from this attempt, unused: ${UNUSED_KEY}`
        : null;
    if (note) {
      // The note is a sentence of its own: end the message with one first.
      const message = /[.!?:]$/.test(error.message) ? error.message : `${error.message}.`;
      throw new EksError(error.code, `${message} ${note}`, error.steps, { cause: error, ...(error.field ? { field: error.field } : {}) });
    }
    throw error;
  } finally {
    adminKey?.fill(0);
    await session.close();
  }
}
