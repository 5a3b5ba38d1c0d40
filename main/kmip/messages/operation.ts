// The shape every KMIP operation module implements; KmipClient runs any of them the same way.

import type { TtlvItem } from '../ttlv/types';
import { StructureReader } from './tree';
import type { KmipVersion } from './versions';

export interface KmipOperation<Args, Result> {
  /** Operation enumeration value. */
  code: number;
  /** Spec name, used in messages, e.g. "RNG Retrieve". */
  name: string;
  /** First KMIP version that defines the operation. */
  since: KmipVersion;
  /**
   * Safe to re-send after a dropped connection: it changes no server state, or re-sending it gives
   * the same outcome. Create and Register never are.
   */
  idempotent: boolean;
  /** Children of the Request Payload; throws KmipVersionError/KmipArgumentError before anything is sent. */
  buildPayload(args: Args, version: KmipVersion): TtlvItem[];
  parseResponse(payload: TtlvItem | undefined, args: Args, version: KmipVersion): Result;
}

export function payloadReader(payload: TtlvItem | undefined, operationName: string): StructureReader {
  return StructureReader.of(payload, () => `${operationName} Response Payload`);
}
