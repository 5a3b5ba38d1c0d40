// Client options for the integration tests: the run's PyKMIP server and test PKI.
import { randomUUID } from 'node:crypto';
import type { KmipClientOptions } from '../../../main/kmip';
import { pykmipClientOptions } from '../../support/services';

export function clientOptions(overrides: Partial<KmipClientOptions> = {}): KmipClientOptions {
  return pykmipClientOptions(overrides);
}

/** A Name no other test (or run against the same database) uses. */
export function uniqueName(purpose: string): string {
  return `itest-${purpose}-${randomUUID()}`;
}
