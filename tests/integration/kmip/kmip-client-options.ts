// Client options for the integration tests: the run's PyKMIP server and test PKI.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KmipClientOptions } from '../../../main/kmip';
import { requireServices } from '../../support/services';

export function clientOptions(overrides: Partial<KmipClientOptions> = {}): KmipClientOptions {
  const services = requireServices();
  return {
    host: services.host,
    port: services.port,
    timeoutMs: 15_000,
    verify: true,
    pipelined: false,
    autoReconnect: false,
    tls: {
      clientCert: {
        kind: 'pem',
        cert: readFileSync(services.pki.clientCert),
        key: readFileSync(services.pki.clientKey),
      },
      caCerts: readFileSync(services.pki.caCert),
    },
    protocol: 'auto',
    ...overrides,
  };
}

/** A Name no other test (or run against the same database) uses. */
export function uniqueName(purpose: string): string {
  return `itest-${purpose}-${randomUUID()}`;
}
