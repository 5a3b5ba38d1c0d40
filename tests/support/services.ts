// Access to the test services started by scripts/with-services.sh (PyKMIP, test PKI, keyring),
// and private PyKMIP servers for tests that need their own certificate or TLS settings.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { KmipClient, TransportError, type KmipClientOptions } from '../../main/kmip';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const PYKMIP_SCRIPT = join(REPO_ROOT, 'scripts/pykmip-server.sh');

/** Paths of every file scripts/test-pki.sh writes (see the header of that script). */
export interface PkiFiles {
  caCert: string;
  caKey: string;
  caBundle: string;
  otherCaCert: string;
  otherCaKey: string;
  serverCert: string;
  serverKey: string;
  serverWrongHostCert: string;
  serverWrongHostKey: string;
  serverOtherCaCert: string;
  serverOtherCaKey: string;
  serverExpiredCert: string;
  serverExpiredKey: string;
  clientCert: string;
  clientKey: string;
  clientEncryptedKey: string;
  clientEncryptedTraditionalKey: string;
  clientP12: string;
  clientLegacyP12: string;
  client2Cert: string;
  client2Key: string;
  clientNoClientAuthCert: string;
  clientNoClientAuthKey: string;
  clientNoEkuCert: string;
  clientNoEkuKey: string;
  untrustedClientCert: string;
  untrustedClientKey: string;
  clientExpiredCert: string;
  clientExpiredKey: string;
  clientNotYetValidCert: string;
  clientNotYetValidKey: string;
  passwordFile: string;
}

export function pkiFiles(dir: string): PkiFiles {
  const f = (name: string): string => join(dir, name);
  return {
    caCert: f('ca.pem'),
    caKey: f('ca.key'),
    caBundle: f('ca-bundle.pem'),
    otherCaCert: f('other-ca.pem'),
    otherCaKey: f('other-ca.key'),
    serverCert: f('server.pem'),
    serverKey: f('server.key'),
    serverWrongHostCert: f('server-wronghost.pem'),
    serverWrongHostKey: f('server-wronghost.key'),
    serverOtherCaCert: f('server-otherca.pem'),
    serverOtherCaKey: f('server-otherca.key'),
    serverExpiredCert: f('server-expired.pem'),
    serverExpiredKey: f('server-expired.key'),
    clientCert: f('client.pem'),
    clientKey: f('client.key'),
    clientEncryptedKey: f('client-encrypted.key'),
    clientEncryptedTraditionalKey: f('client-encrypted-traditional.key'),
    clientP12: f('client.p12'),
    clientLegacyP12: f('client-legacy.p12'),
    client2Cert: f('client2.pem'),
    client2Key: f('client2.key'),
    clientNoClientAuthCert: f('client-noclientauth.pem'),
    clientNoClientAuthKey: f('client-noclientauth.key'),
    clientNoEkuCert: f('client-noeku.pem'),
    clientNoEkuKey: f('client-noeku.key'),
    untrustedClientCert: f('untrusted-client.pem'),
    untrustedClientKey: f('untrusted-client.key'),
    clientExpiredCert: f('client-expired.pem'),
    clientExpiredKey: f('client-expired.key'),
    clientNotYetValidCert: f('client-notyetvalid.pem'),
    clientNotYetValidKey: f('client-notyetvalid.key'),
    passwordFile: f('password.txt'),
  };
}

export interface TestServices {
  host: string;
  port: number;
  pkiDir: string;
  pki: PkiFiles;
  /** The random password of this run's encrypted key and PKCS#12 files. */
  pkiPassword: string;
  /** Scratch directory of this with-services run (removed when it ends). */
  stateDir: string;
}

let cached: TestServices | null | undefined;

/** The services of the surrounding scripts/with-services.sh run, or null outside it. */
export function testServices(): TestServices | null {
  if (cached !== undefined) return cached;
  const env = process.env;
  if (env.KMIP_TEST_SERVICES !== '1') return (cached = null);
  const host = env.KMIP_TEST_HOST;
  const port = Number(env.KMIP_TEST_PORT);
  const pkiDir = env.KMIP_TEST_PKI;
  if (!host || !Number.isInteger(port) || port <= 0 || !pkiDir) {
    throw new Error(
      'KMIP_TEST_SERVICES=1 but KMIP_TEST_HOST, KMIP_TEST_PORT or KMIP_TEST_PKI is missing: ' +
        'run the tests through scripts/with-services.sh',
    );
  }
  const pki = pkiFiles(pkiDir);
  cached = {
    host,
    port,
    pkiDir,
    pki,
    pkiPassword: readFileSync(pki.passwordFile, 'utf8'),
    stateDir: env.KMIP_TEST_STATE ?? tmpdir(),
  };
  return cached;
}

/** Like testServices() but throws where services are required (inside describeWithServices). */
export function requireServices(): TestServices {
  const services = testServices();
  if (!services) throw new Error('test services missing: run under scripts/with-services.sh');
  return services;
}

export const SKIP_REASON = 'skipped: needs PyKMIP + keyring, run `npm test` (scripts/with-services.sh)';

/** describe() that runs only under scripts/with-services.sh and says why it was skipped otherwise. */
export function describeWithServices(name: string, body: () => void): void {
  const available = testServices() !== null;
  describe.skipIf(!available)(available ? name : `${name} (${SKIP_REASON})`, body);
}

export interface PykmipServerOptions {
  /** Certificate, key and CA for the server; default the run's server.pem, server.key, ca.pem. */
  cert?: string;
  key?: string;
  ca?: string;
  /** IANA or OpenSSL suite names; default the script's RSA CBC suites. */
  cipherSuites?: string[];
  /** false skips PyKMIP's clientAuth EKU check (TLS still requires a client certificate). */
  clientAuth?: boolean;
  loggingLevel?: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
}

export interface PykmipServer {
  host: string;
  port: number;
  stateDir: string;
  stop(): Promise<void>;
}

function runScript(args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile('bash', [PYKMIP_SCRIPT, ...args], { timeout: 100_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`pykmip-server.sh ${args[0]} failed: ${error.message}\n${stderr}`));
      else resolvePromise(stdout);
    });
  });
}

/**
 * Runs `command` in a scripts/keyring-session.sh of its own (own bus, own gnome-keyring), so that a
 * test may stop or kill that daemon without failing other files' keychain calls. Rejects, with its
 * stderr, when the command fails.
 */
export function inOwnKeyringSession(command: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    execFile('bash', [join(REPO_ROOT, 'scripts/keyring-session.sh'), ...command], { cwd: REPO_ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`keyring-session.sh ${command.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolvePromise({ stdout, stderr });
    });
  });
}

/** Starts a private PyKMIP server (own database and port). Call stop() in afterAll. */
export async function startPykmipServer(options: PykmipServerOptions = {}): Promise<PykmipServer> {
  const services = requireServices();
  const stateDir = await mkdtemp(join(services.stateDir, 'pykmip-'));
  const args = ['start', stateDir, '--pki', services.pkiDir];
  if (options.cert) args.push('--cert', options.cert);
  if (options.key) args.push('--key', options.key);
  if (options.ca) args.push('--ca', options.ca);
  if (options.cipherSuites) args.push('--ciphers', options.cipherSuites.join(','));
  if (options.clientAuth === false) args.push('--no-client-auth');
  if (options.loggingLevel) args.push('--logging-level', options.loggingLevel);
  let port: number;
  try {
    port = Number((await runScript(args)).trim());
  } catch (error) {
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    stateDir,
    async stop() {
      await runScript(['stop', stateDir]);
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** A client identity of the test PKI that PyKMIP accepts (two, because objects are per owner). */
export type ClientIdentity = 'client' | 'client2';

/** KmipClient options for the run's PyKMIP server: `identity`'s certificate, the test CA, Verify on. */
export function pykmipClientOptions(overrides: Partial<KmipClientOptions> = {}, identity: ClientIdentity = 'client'): KmipClientOptions {
  const { host, port, pki } = requireServices();
  return {
    host,
    port,
    timeoutMs: 15_000,
    verify: true,
    pipelined: false,
    autoReconnect: false,
    tls: {
      clientCert: {
        kind: 'pem',
        cert: readFileSync(identity === 'client' ? pki.clientCert : pki.client2Cert),
        key: readFileSync(identity === 'client' ? pki.clientKey : pki.client2Key),
      },
      caCerts: readFileSync(pki.caCert),
    },
    protocol: 'auto',
    ...overrides,
  };
}

/** Connects with `options`, which must be refused: resolves with the TransportError it ended in. */
export async function connectRefusal(options: KmipClientOptions): Promise<TransportError> {
  const error: unknown = await KmipClient.connect(options).then(
    async (client) => {
      await client.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}
