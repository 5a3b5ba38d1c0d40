// Proves the test services are what the other integration tests assume: PyKMIP answers KMIP over
// mutually authenticated TLS 1.2, the test PKI has the advertised properties, and the private
// keyring answers over D-Bus while a missing keyring is an error.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connect, createSecureContext, type TLSSocket } from 'node:tls';
import { Entry } from '@napi-rs/keyring';
import { expect, it } from 'vitest';
import { REPO_ROOT, describeWithServices, requireServices } from '../support/services';

// KMIP 1.1 Discover Versions with an empty payload (shared vector nlnetlabs-tc161-discover-versions-empty-request).
const DISCOVER_VERSIONS_REQUEST = Buffer.from(
  '42007801000000604200770100000038420069010000002042006a0200000004000000010000000042006b02000000040000000100000000' +
    '42000d0200000004000000010000000042000f010000001842005c05000000040000001e000000004200790100000000',
  'hex',
);
const RESPONSE_MESSAGE_TAG = Buffer.from('42007b01', 'hex');
const RESULT_STATUS_SUCCESS = Buffer.from('42007f05000000040000000000000000', 'hex');

interface TlsOutcome {
  socket?: TLSSocket;
  error?: Error & { code?: string };
}

function tlsConnect(options: { cert?: string; key?: string }): Promise<TlsOutcome> {
  const { host, port, pki } = requireServices();
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port,
      ca: readFileSync(pki.caCert),
      cert: options.cert ? readFileSync(options.cert) : undefined,
      key: options.key ? readFileSync(options.key) : undefined,
      minVersion: 'TLSv1.2',
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error('timed out')));
    socket.once('error', (error) => resolve({ error }));
    socket.once('secureConnect', () => resolve({ socket }));
  });
}

/** Sends one request and collects one whole TTLV message (8-byte header + length). */
function roundTrip(socket: TLSSocket, request: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 8 && received.length >= 8 + received.readUInt32BE(4)) resolve(received);
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`closed after ${received.length} bytes`)));
    socket.write(request);
  });
}

const KEYRING_PROBE = `
  const { Entry } = require('@napi-rs/keyring');
  try {
    const entry = new Entry('kmip-console-services-test', 'no-keychain', { linux: { store: 'secret-service' } });
    entry.setPassword('x');
    console.log(JSON.stringify({ stored: true }));
  } catch (error) {
    console.log(JSON.stringify({ stored: false, message: String(error && error.message) }));
  }
`;

/** Runs the keyring probe in a child process with the given environment overrides. */
function keyringProbe(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ stored: boolean; message?: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: REPO_ROOT, timeout: 30_000, env: { ...process.env, ...env } }, (error, out) => {
      if (error) reject(error);
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as { stored: boolean; message?: string });
    });
  });
}

describeWithServices('test services', () => {
  it('PyKMIP answers Discover Versions over TLS 1.2 with client.pem', async () => {
    const { pki } = requireServices();
    const { socket, error } = await tlsConnect({ cert: pki.clientCert, key: pki.clientKey });
    expect(error).toBeUndefined();
    if (!socket) return;
    try {
      expect(socket.authorized).toBe(true);
      expect(socket.getProtocol()).toBe('TLSv1.2');
      const response = await roundTrip(socket, DISCOVER_VERSIONS_REQUEST);
      expect(response.subarray(0, 4)).toEqual(RESPONSE_MESSAGE_TAG);
      expect(response.includes(RESULT_STATUS_SUCCESS)).toBe(true);
    } finally {
      socket.destroy();
    }
  });

  it('PyKMIP refuses a TLS client without a certificate', async () => {
    const outcome = await tlsConnect({});
    // TLS 1.2: the server's alert arrives during the handshake, so secureConnect never fires.
    expect(outcome.socket).toBeUndefined();
    expect(outcome.error?.code ?? outcome.error?.message).toMatch(/ALERT_HANDSHAKE_FAILURE|ECONNRESET/);
  });

  it('the PKI has the properties the TLS tests rely on', () => {
    const { pki, pkiPassword } = requireServices();
    const cert = (path: string) => new X509Certificate(readFileSync(path));
    const ca = cert(pki.caCert);
    const server = cert(pki.serverCert);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(cert(pki.serverWrongHostCert).checkHost('localhost')).toBeUndefined();
    expect(cert(pki.serverWrongHostCert).checkIP('127.0.0.1')).toBeUndefined();
    expect(cert(pki.serverOtherCaCert).verify(ca.publicKey)).toBe(false);
    expect(cert(pki.untrustedClientCert).verify(cert(pki.otherCaCert).publicKey)).toBe(true);
    expect(new Date(cert(pki.serverExpiredCert).validTo).getTime()).toBeLessThan(Date.now());
    expect(new Date(cert(pki.clientExpiredCert).validTo).getTime()).toBeLessThan(Date.now());
    expect(new Date(cert(pki.clientNotYetValidCert).validFrom).getTime()).toBeGreaterThan(Date.now());
    expect(cert(pki.clientCert).keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cert(pki.clientNoClientAuthCert).keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert(pki.client2Cert).subject).not.toEqual(cert(pki.clientCert).subject);

    expect(pkiPassword).toMatch(/^[0-9a-f]{32}$/);
    for (const secretFile of [pki.passwordFile, pki.clientKey, pki.clientEncryptedKey, pki.clientP12]) {
      expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(pki.clientEncryptedKey, 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    // Node reads the modern PKCS#12; the RC2-40 one needs the app's fallback parser.
    expect(() => createSecureContext({ pfx: readFileSync(pki.clientP12), passphrase: pkiPassword })).not.toThrow();
    expect(() =>
      createSecureContext({ pfx: readFileSync(pki.clientLegacyP12), passphrase: pkiPassword }),
    ).toThrow();
  });

  it('the private keyring stores, returns and deletes a secret over D-Bus (Secret Service)', () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS).toBeTruthy();
    const entry = new Entry('kmip-console-services-test', `probe-${process.pid}`, {
      linux: { store: 'secret-service' },
    });
    const value = `v-${Math.random().toString(36).slice(2)}`;
    entry.setPassword(value);
    try {
      expect(entry.getPassword()).toBe(value);
    } finally {
      expect(entry.deleteCredential()).toBe(true);
    }
    expect(entry.getPassword()).toBeNull();
  });

  it('without a reachable D-Bus, a pinned Secret Service entry errors instead of falling back', async () => {
    const result = await keyringProbe(process.execPath, ['-e', KEYRING_PROBE], {
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/kmip-console-no-bus',
    });
    expect(result).toEqual({ stored: false, message: expect.stringMatching(/DBus|D-Bus|socket/i) });
  });

  it('on a bus without an unlocked keyring, a pinned Secret Service entry errors', async () => {
    // D-Bus activation starts a gnome-keyring with no unlocked collection: must error, not store.
    const home = mkdtempSync(join(requireServices().stateDir, 'no-keyring-home-'));
    const result = await keyringProbe('dbus-run-session', ['--', process.execPath, '-e', KEYRING_PROBE], {
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_RUNTIME_DIR: home,
    });
    expect(result.stored).toBe(false);
    expect(result.message).toBeTruthy();
  });
});
