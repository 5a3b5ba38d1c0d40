// Entropy from the key server (PRODUCT.md §3 "Entropy at start"): RNG Retrieve when Query lists it,
// mixed into the process generator; servers without it (PyKMIP) are reported and the app carries on.
import type { EntropyOutcome } from '../../common/ipc';
import { isAtLeast, Operation, QueryFunction, RNG_RETRIEVE_SINCE, type KmipClient, type KmipClientOptions, type KmipVersion } from '../kmip';
import { explain } from './explain';
import { KmipSession } from './kmip-session';
import { mixedRandom, type MixedRandom } from './mixed-random';

/** Bytes asked for with RNG Retrieve (the spec asks for 32–64). */
export const ENTROPY_REQUEST_BYTES = 48;

export interface EntropyReport {
  status: EntropyOutcome;
  /** bytes of key-server entropy mixed in */
  bytes: number;
  detail: string;
  /** when failed: the cause's code (e.g. CONNECTION_REFUSED) */
  code?: string;
}

export const ENTROPY_UNAVAILABLE = 'entropy source: unavailable on this server';

/** Why entropy cannot be fetched although the server offers RNG Retrieve, and what to do about it. */
export interface VersionTooLow {
  /** "entropy source: unavailable at KMIP 1.1", the status to show */
  status: string;
  /** "RNG Retrieve is offered but needs KMIP 1.2, and Protocol is 1.1" */
  reason: string;
  fix: string;
}

/**
 * Null when RNG Retrieve can be sent at `version`; otherwise what to report. `protocol` is the
 * Protocol setting: under auto the server chose `version`, so auto is no remedy.
 */
export function rngRetrieveVersionTooLow(version: KmipVersion, protocol: KmipClientOptions['protocol']): VersionTooLow | null {
  if (isAtLeast(version, RNG_RETRIEVE_SINCE)) return null;
  const auto = protocol === 'auto';
  return {
    status: `entropy source: unavailable at KMIP ${version}`,
    reason: `RNG Retrieve is offered but needs KMIP ${RNG_RETRIEVE_SINCE}, and ${auto ? `the server chose KMIP ${version} under Protocol auto` : `Protocol is ${version}`}`,
    fix: `Set Protocol to ${RNG_RETRIEVE_SINCE} or later${auto ? ', if the server supports it,' : ', or to auto,'} to fetch entropy from the key server; until then keys come from the OS random generator alone.`,
  };
}

/**
 * Asks `client` for entropy when it offers RNG Retrieve at the session's version, and mixes it into
 * `random`. `protocol` (the Protocol setting) words the report when the version is too low.
 */
export async function seedFromServer(
  client: KmipClient,
  random: MixedRandom,
  protocol: KmipClientOptions['protocol'],
): Promise<EntropyReport> {
  const { operations } = await client.query({ functions: [QueryFunction.QueryOperations] });
  if (!operations.includes(Operation.RNGRetrieve)) {
    return {
      status: 'unavailable',
      bytes: 0,
      detail: `${ENTROPY_UNAVAILABLE} (Query does not list RNG Retrieve); keys come from the OS random generator alone`,
    };
  }
  const tooLow = rngRetrieveVersionTooLow(client.version, protocol);
  // A deliberate setting, not a fault: reported as unavailable, as for a server without RNG Retrieve.
  if (tooLow) return { status: 'unavailable', bytes: 0, detail: `${tooLow.status} (${tooLow.reason}). ${tooLow.fix}` };
  const seed = await client.rngRetrieve(ENTROPY_REQUEST_BYTES);
  random.addEntropy(seed);
  return {
    status: 'mixed',
    bytes: seed.length,
    detail: `${seed.length} bytes from RNG Retrieve mixed with the OS random generator (HKDF-SHA256)`,
  };
}

/**
 * Entropy at start: when applied settings exist and Disable Entropy Seed is off. Never throws: a key
 * server that cannot be reached is reported, and the OS generator is used alone.
 */
export async function fetchEntropy(
  request: { connection: KmipClientOptions | null; disabled: boolean },
  random: MixedRandom = mixedRandom,
): Promise<EntropyReport> {
  if (request.disabled) return { status: 'disabled', bytes: 0, detail: 'Disable Entropy Seed is set: no entropy is requested' };
  if (!request.connection) return { status: 'no-settings', bytes: 0, detail: 'no applied settings yet: no key server to ask' };
  const session = new KmipSession(request.connection);
  try {
    return await seedFromServer(await session.client(), random, request.connection.protocol);
  } catch (error) {
    const { code, detail } = explain(error);
    return { status: 'failed', bytes: 0, code, detail: `no entropy from the key server (${detail}); carrying on with the OS random generator` };
  } finally {
    await session.close();
  }
}
