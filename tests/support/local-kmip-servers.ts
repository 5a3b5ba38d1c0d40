// The set-up the transport unit tests share: a test PKI generated once per file, and fake KMIP/TLS
// servers and client connections on loopback that are closed after the test that opened them.
import { afterEach, beforeAll } from 'vitest';
import { KmipConnection } from '../../main/kmip/transport';
import type { ConnectionOptions } from '../../main/kmip/transport';
import { generatePki, optionsFor, startKmipServer } from './transport-fixtures';
import type { FakeServer, TestPki } from './transport-fixtures';

interface Closable {
  close(): Promise<void>;
}

export interface LocalKmipServers {
  /** The file's test PKI: empty until the file's beforeAll has generated it, so read it in hooks and tests. */
  pki: TestPki;
  /** A fake KMIP server (startKmipServer with the test PKI), closed after the test. */
  server(...args: Parameters<typeof startKmipServer> extends [TestPki, ...infer Rest] ? Rest : never): Promise<FakeServer>;
  /** A connection to a fake server on `port`, verified against the test CA, closed after the test. */
  connection(port: number, overrides?: Partial<ConnectionOptions>): KmipConnection;
  /** Closes `closable` after the test (the last one opened first); returns it. */
  closeAfterTest<T extends Closable>(closable: T): T;
}

/** Registers the calling test file's hooks: call it once, at the top level of the file. */
export function useLocalKmipServers(): LocalKmipServers {
  // Filled in place, not replaced, so that a file can destructure it before its tests run.
  const pki = {} as TestPki;
  const cleanups: Array<() => Promise<void>> = [];
  beforeAll(() => {
    Object.assign(pki, generatePki());
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const closeAfterTest = <T extends Closable>(closable: T): T => {
    cleanups.push(() => closable.close());
    return closable;
  };
  return {
    pki,
    server: async (...args) => closeAfterTest(await startKmipServer(pki, ...args)),
    connection: (port, overrides = {}) => closeAfterTest(new KmipConnection(optionsFor(pki, port, overrides))),
    closeAfterTest,
  };
}
