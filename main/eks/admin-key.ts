// The Admin Key on the key server: its Name, registration and activation (with the Locate and State
// checks that make the non-idempotent Register and Activate safe to retry), and finding it again for
// recovery.
import { timingSafeEqual } from 'node:crypto';
import { KmipOperationError, ObjectType, State, TransportError, type KmipClient } from '../kmip';
import type { AdminKeyRef } from '../store';
import { EksError } from './errors';
import type { KmipSession } from './kmip-session';
import { stateName } from './names';

export type AdminKeyObjectType = AdminKeyRef['objectType'];

export interface RegisteredKey {
  uniqueIdentifier: string;
  objectType: AdminKeyObjectType;
  /**
   * Set when the connection dropped before Register was answered: 'found', the key was then found
   * by its Name on a new connection; 're-sent', none was, and Register was sent again.
   */
  afterDrop?: 'found' | 're-sent';
}

/** KMIP Name of Admin Key generation `generation` of store `storeId`. */
export function adminKeyName(storeId: string, generation: number): string {
  return `kmip-console/${storeId}/admin-key/${generation}`;
}

/** The widest span of taken Names searched past the next generation (a server whose Locate ignores the Name takes them all). */
const MAX_TAKEN_SPAN = 1 << 20;

/**
 * A generation from `next` on whose Name the key server holds no object: `next` itself unless it is
 * taken. A restored older backup, or an Apply that failed after Register, leaves keys under the Names
 * of later generations; a second key under one of them would make the server's records ambiguous.
 * Taken Names follow one another (one per Apply), so the search gallops, then halves: a few dozen
 * Locates at most, however many Applies followed the backup. Register follows on the same connection:
 * one dropped while idle is re-opened once, as Register's would be.
 */
export async function firstUnusedGeneration(session: KmipSession, storeId: string, next: number): Promise<number> {
  let client = await session.client();
  let reopened = false;
  const taken = async (generation: number): Promise<boolean> => {
    for (;;) {
      try {
        return (await client.locate({ name: adminKeyName(storeId, generation) })).uniqueIdentifiers.length > 0;
      } catch (error) {
        if (!droppedWithOutcomeUnknown(error) || reopened) throw error;
        reopened = true;
        client = await session.reconnect(error);
      }
    }
  };
  if (!(await taken(next))) return next;
  let lastTaken = next;
  let span = 1;
  while (await taken(next + span)) {
    lastTaken = next + span;
    span *= 2;
    if (span > MAX_TAKEN_SPAN) {
      throw new EksError(
        'ADMIN_KEY_NAMES_TAKEN',
        `The key server lists objects under every Admin Key Name of store ${storeId} from generation ${next} to ${next + MAX_TAKEN_SPAN}: ` +
          'its Locate does not seem to filter by Name. Check the key server.',
      );
    }
  }
  let free = next + span;
  while (free - lastTaken > 1) {
    const middle = Math.floor((lastTaken + free) / 2);
    if (await taken(middle)) lastTaken = middle;
    else free = middle;
  }
  return free;
}

export function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function objectTypeOf(code: number): AdminKeyObjectType | null {
  if (code === ObjectType.SymmetricKey) return 'SymmetricKey';
  if (code === ObjectType.SecretData) return 'SecretData';
  return null;
}

/**
 * The connection dropped: the request may or may not have reached the server, and a Locate on a
 * new connection can tell. A REQUEST_TIMEOUT is not retried that way: the server is not answering,
 * so a Locate would only wait out a second Timeout. Apply then fails within its Timeout; a key it
 * may have registered stays unreferenced (recovery matches keys by their bytes, not by Name alone).
 */
function droppedWithOutcomeUnknown(error: unknown): boolean {
  return error instanceof TransportError && error.code === 'CONNECTION_CLOSED';
}

/** The State the key server gives object `uniqueIdentifier`; null when it does not say. */
export async function keyState(client: KmipClient, uniqueIdentifier: string): Promise<number | null> {
  try {
    const [state] = (await client.getAttributes(uniqueIdentifier, ['State'])).attributes.State ?? [];
    return typeof state === 'number' ? state : null;
  } catch {
    return null;
  }
}

/** A refusal that a Secret Data registration may not meet (everything but a credential problem). */
function refusedAsSymmetricKey(error: unknown): boolean {
  return error instanceof KmipOperationError && error.resultReason !== 'AuthenticationNotSuccessful';
}

/** Gets `uniqueIdentifier`; null when this client cannot see such an object. */
export async function getKeyBytes(client: KmipClient, uniqueIdentifier: string): Promise<{ bytes: Uint8Array; objectType: AdminKeyObjectType } | null> {
  try {
    const object = await client.get(uniqueIdentifier);
    const objectType = objectTypeOf(object.objectType);
    return objectType ? { bytes: object.keyBytes, objectType } : null;
  } catch (error) {
    if (error instanceof KmipOperationError && (error.resultReason === 'ItemNotFound' || error.resultReason === 'PermissionDenied')) return null;
    throw error;
  }
}

/**
 * Objects named `name` whose key bytes satisfy `matches`, newest first as the server lists them.
 * Duplicate Names are possible (an earlier Apply that failed after Register left one behind).
 */
export async function findKeyByName(
  client: KmipClient,
  name: string,
  matches: (bytes: Uint8Array) => boolean,
  skip: ReadonlySet<string> = new Set(),
): Promise<{ found: (RegisteredKey & { bytes: Uint8Array }) | null; candidates: number }> {
  const { uniqueIdentifiers } = await client.locate({ name });
  const candidates = uniqueIdentifiers.filter((id) => !skip.has(id));
  for (const uniqueIdentifier of candidates) {
    const object = await getKeyBytes(client, uniqueIdentifier);
    if (object && matches(object.bytes)) return { found: { uniqueIdentifier, ...object }, candidates: candidates.length };
  }
  return { found: null, candidates: candidates.length };
}

/**
 * Registers `key` under `name` as a Symmetric Key, or as Secret Data when the server refuses that.
 * Register is not idempotent: when the connection drops with the outcome unknown, it reconnects and
 * looks the key up by Name (comparing the bytes) before sending Register once more.
 */
export async function registerAdminKey(session: KmipSession, key: Buffer, name: string): Promise<RegisteredKey> {
  let objectType: AdminKeyObjectType = 'SymmetricKey';
  let retriedAfterUnknownOutcome = false;
  for (;;) {
    const client = await session.client();
    try {
      const { uniqueIdentifier } =
        objectType === 'SymmetricKey'
          ? await client.registerSymmetricKey({ key, name })
          : await client.registerSecretData({ data: key, name });
      return { uniqueIdentifier, objectType, ...(retriedAfterUnknownOutcome ? { afterDrop: 're-sent' as const } : {}) };
    } catch (error) {
      if (objectType === 'SymmetricKey' && refusedAsSymmetricKey(error)) {
        objectType = 'SecretData';
        continue;
      }
      if (!droppedWithOutcomeUnknown(error) || retriedAfterUnknownOutcome) throw error;
      retriedAfterUnknownOutcome = true;
      const { found } = await findKeyByName(await session.reconnect(error), name, (bytes) => sameKey(bytes, key));
      if (found) return { uniqueIdentifier: found.uniqueIdentifier, objectType: found.objectType, afterDrop: 'found' };
    }
  }
}

/**
 * Activates the registered Admin Key. Activate is not re-sent blindly (repeated after the server
 * applied it, it fails), but its outcome can be read: when the connection drops before the answer, a
 * new connection (if Auto-Reconnect allows) reads the key's State, and Activate is sent again only if
 * the key is still Pre-Active. Resolves with how the key became Active.
 */
export async function activateAdminKey(session: KmipSession, uniqueIdentifier: string): Promise<'activated' | 'found-active' | 're-sent'> {
  try {
    await (await session.client()).activate(uniqueIdentifier);
    return 'activated';
  } catch (error) {
    if (!droppedWithOutcomeUnknown(error)) throw error;
    const client = await session.reconnect(error);
    const state = await keyState(client, uniqueIdentifier);
    if (state === State.Active) return 'found-active';
    if (state === null) throw error;
    if (state !== State.PreActive) {
      throw new EksError(
        'ADMIN_KEY_NOT_ACTIVE',
        `The connection dropped before Activate was answered, and the key server now marks unique identifier ${uniqueIdentifier} ` +
          `${stateName(state)}, neither Pre-Active nor Active: something else changed it. Check the key server's log.`,
      );
    }
    await client.activate(uniqueIdentifier);
    return 're-sent';
  }
}
