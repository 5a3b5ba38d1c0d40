// The header record of an Admin Key that no key server holds, for unit tests that apply a store by hand.
import type { AdminKeyRef } from '../../../main/store';

export function adminRef(storeId: string, generation: number, uniqueIdentifier = String(generation), host = '127.0.0.1'): AdminKeyRef {
  return {
    generation,
    name: `kmip-console/${storeId}/admin-key/${generation}`,
    uniqueIdentifier,
    objectType: 'SymmetricKey',
    server: { host, port: 5696, certFingerprintSha256: null },
    registeredAt: new Date().toISOString(),
  };
}
