// Proves the test services are what the other integration tests assume: PyKMIP answers KMIP over
// mutually authenticated TLS 1.2, the test PKI has the advertised properties, and the private
// keyring answers over D-Bus while a missing keyring is an error.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { Entry } from '@napi-rs/keyring';
import { expect, it } from 'vitest';
import {
  DISCOVER_VERSIONS_REQUEST,
  RESPONSE_MESSAGE_TAG,
  RESULT_STATUS_SUCCESS,
  exchange,
  rawTlsConnect,
} from '../support/raw-tls';
import { REPO_ROOT, describeWithServices, inOwnKeyringSession, requireServices } from '../support/services';

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
    const services = requireServices();
    const { socket, error } = await rawTlsConnect(services, services, {
      cert: services.pki.clientCert,
      key: services.pki.clientKey,
    });
    expect(error).toBeUndefined();
    if (!socket) return;
    try {
      expect(socket.authorized).toBe(true);
      expect(socket.getProtocol()).toBe('TLSv1.2');
      const { bytes: response, complete } = await exchange(socket, DISCOVER_VERSIONS_REQUEST);
      expect(complete).toBe(true);
      expect(response.subarray(0, 4)).toEqual(RESPONSE_MESSAGE_TAG);
      expect(response.includes(RESULT_STATUS_SUCCESS)).toBe(true);
    } finally {
      socket.destroy();
    }
  });

  it('PyKMIP refuses a TLS client without a certificate', async () => {
    const services = requireServices();
    const outcome = await rawTlsConnect(services, services);
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

  it('keyring-session.sh starts a stopped gnome-keyring again, unlocked, with what it held, and says so', async () => {
    const inner = [
      'printf kept | secret-tool store --label=probe service kmip-console-restart account a',
      'pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus ' +
        'org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets | sed -n "s/.*uint32 //p")',
      'kill -9 "$pid"',
      'while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done',
      'secret-tool lookup service kmip-console-restart account a',
    ].join('\n');
    const { stdout, stderr } = await inOwnKeyringSession(['bash', '-c', inner]);
    expect(stdout).toBe('kept');
    expect(stderr).toMatch(/gnome-keyring-daemon stopped during the run and was started again, unlocked \(2 starts\)/);
    expect(stderr).toMatch(/exit 137/);
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
