// Which file slots pair (a certificate and its key) and which key picks a certificate file's leaf.
import type { FileSlotId, LoadedFileDetails } from '../../common/pki-types';
import { CERT_SLOT_OF_KEY, type Settings } from '../../common/settings';

/** The certificate slot a key slot must match, and the reverse. */
export const PAIRED_SLOT: Readonly<Partial<Record<FileSlotId, FileSlotId>>> = {
  ...CERT_SLOT_OF_KEY,
  clientCert: 'clientKey',
  serverCert: 'serverKey',
};

/** How many end-entity (not CA) certificates a loaded file holds: with two or more, the key chooses the leaf. */
export function endEntityCount(details: LoadedFileDetails): number {
  return details.certificates.filter((certificate) => !certificate.isCa).length;
}

export function isKeySlot(slot: FileSlotId): slot is 'clientKey' | 'serverKey' {
  return slot === 'clientKey' || slot === 'serverKey';
}

/**
 * For Cert and Server Cert, the key that TLS will be given with the certificate, which picks the
 * leaf among several: the key file read for the paired slot in `parsed` (an import), else the one
 * loaded there in `pending`. Null for other slots.
 */
export function pairedKeyOf(slot: FileSlotId, pending: Settings, parsed: Partial<Record<FileSlotId, LoadedFileDetails>> = {}): LoadedFileDetails | null {
  const keySlot = slot === 'clientCert' || slot === 'serverCert' ? PAIRED_SLOT[slot] : undefined;
  return keySlot ? (parsed[keySlot] ?? pending[keySlot]?.details ?? null) : null;
}
