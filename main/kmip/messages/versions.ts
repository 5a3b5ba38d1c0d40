// KMIP protocol versions: names, ordering, and which operations/fields each version defines.

import { KmipVersionError } from './errors';

/** The versions this client speaks, highest first (the order offered in Discover Versions). */
export const KMIP_VERSIONS = ['2.1', '2.0', '1.4', '1.3', '1.2', '1.1', '1.0'] as const;
export type KmipVersion = (typeof KMIP_VERSIONS)[number];

export interface ProtocolVersion {
  major: number;
  minor: number;
}

export function isKmipVersion(text: string): text is KmipVersion {
  return (KMIP_VERSIONS as readonly string[]).includes(text);
}

// Parsed once: every request asks for its version's numbers, several times.
const PROTOCOL_VERSIONS = new Map<string, Readonly<ProtocolVersion>>(
  KMIP_VERSIONS.map((version) => {
    const [major = 0, minor = 0] = version.split('.').map(Number);
    return [version, Object.freeze({ major, minor })];
  }),
);

export function toProtocolVersion(version: KmipVersion): Readonly<ProtocolVersion> {
  return PROTOCOL_VERSIONS.get(version) as Readonly<ProtocolVersion>;
}

export function formatProtocolVersion(version: ProtocolVersion): string {
  return `${version.major}.${version.minor}`;
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareVersions(a: KmipVersion, b: KmipVersion): number {
  const pa = toProtocolVersion(a);
  const pb = toProtocolVersion(b);
  return pa.major - pb.major || pa.minor - pb.minor;
}

export function isAtLeast(version: KmipVersion, minimum: KmipVersion): boolean {
  return compareVersions(version, minimum) >= 0;
}

/** 2.x sends attributes as one Attributes structure; 1.x as Attribute name/value structures. */
export function usesAttributesStructure(version: KmipVersion): boolean {
  return isAtLeast(version, '2.0');
}

/**
 * Refuses, before anything is sent, a feature the negotiated version does not define.
 * `feature` is the spec name shown to the user, e.g. "RNG Retrieve" or "Locate with Offset Items".
 */
export function requireVersion(version: KmipVersion, minimum: KmipVersion, feature: string): void {
  if (!isAtLeast(version, minimum)) {
    throw new KmipVersionError(
      'KMIP_OPERATION_NOT_IN_VERSION',
      `${feature} is not defined in KMIP ${version} (it exists from KMIP ${minimum}): set Protocol to ${minimum} or later, or to auto.`,
    );
  }
}
