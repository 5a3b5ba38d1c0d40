import { ItemType } from '../../ttlv/types';
import { Operation, Tag } from '../../ttlv';
import { protocolVersionItem, parseProtocolVersion } from '../envelope';
import { payloadReader, type KmipOperation } from '../operation';
import { StructureReader } from '../tree';
import type { ProtocolVersion } from '../versions';

/** Discover Versions: the server answers with the offered versions it supports, its preferred first. */
export const discoverVersions: KmipOperation<{ versions: ProtocolVersion[] }, ProtocolVersion[]> = {
  code: Operation.DiscoverVersions,
  name: 'Discover Versions',
  since: '1.1',
  idempotent: true,
  buildPayload: ({ versions }) => versions.map(protocolVersionItem),
  parseResponse(payload) {
    // An empty payload (or none) is the spec's "no common version" answer, not a malformed one.
    if (payload === undefined) return [];
    const reader = payloadReader(payload, 'Discover Versions');
    return reader
      .all(Tag.ProtocolVersion, ItemType.Structure)
      .map((item) => parseProtocolVersion(new StructureReader(item, () => `Protocol Version of the ${reader.where}`)));
  },
};
