// Shared set-up of the eks integration tests: connection options for the run's PyKMIP server and
// test PKI, a fresh data folder, and the real OS keychain (gnome-keyring of with-services.sh).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KmipClientOptions } from '../../../main/kmip';
import { KeychainSecretStore } from '../../../main/secrets';
import { keychainUnlockKeys, type LocalUnlockKeys } from '../../../main/store';
import { requireServices } from '../../support/services';

export type ClientIdentity = 'client' | 'client2';

export function eksOptions(overrides: Partial<KmipClientOptions> & { identity?: ClientIdentity } = {}): KmipClientOptions {
  const services = requireServices();
  const { identity = 'client', ...rest } = overrides;
  const pki = services.pki;
  return {
    host: services.host,
    port: services.port,
    timeoutMs: 15_000,
    verify: true,
    pipelined: false,
    autoReconnect: true,
    tls: {
      clientCert: {
        kind: 'pem',
        cert: readFileSync(identity === 'client' ? pki.clientCert : pki.client2Cert),
        key: readFileSync(identity === 'client' ? pki.clientKey : pki.client2Key),
      },
      caCerts: readFileSync(pki.caCert),
    },
    protocol: 'auto',
    ...rest,
  };
}

/** A scratch data folder; remove() deletes it. */
export async function dataFolder(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kmip-eks-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function keychainKeys(): LocalUnlockKeys {
  return keychainUnlockKeys(new KeychainSecretStore());
}

/** A loopback port nothing listens on (bound once by the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
