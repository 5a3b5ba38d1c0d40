import { describe, expect, it } from 'vitest';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { checkCipherList, KmipConnection } from '../../../main/kmip/transport';
import { useLocalKmipServers } from '../../support/local-kmip-servers';
import { getRequest, KEY_PASSWORD, optionsFor, rejectionOf, startKmipServer, uidOf } from '../../support/transport-fixtures';
import type { FakeServer } from '../../support/transport-fixtures';

const local = useLocalKmipServers();
const { pki, connection } = local;

/** A fake server that answers every request, with these TLS options over the test server identity. */
const server = (tlsOptions: Parameters<typeof startKmipServer>[2] = {}): Promise<FakeServer> => local.server(undefined, tlsOptions);

/** A server that requires a client certificate issued by the test CA. */
const clientAuthServer = (extra: Parameters<typeof startKmipServer>[2] = {}): Promise<FakeServer> =>
  server({ requestCert: true, rejectUnauthorized: true, ca: pki.ca, ...extra });

describe('server verification (Verify = yes)', () => {
  it('refuses a server whose certificate does not name the host: HOSTNAME_MISMATCH with the names in the cert', async () => {
    const srv = await server({ cert: pki.wrongHostCert, key: pki.wrongHostKey });
    const error = await rejectionOf(connection(srv.port).open());
    expect(error.code).toBe('HOSTNAME_MISMATCH');
    expect(error.message).toContain('127.0.0.1');
    expect(error.message).toContain('DNS:wrong.example');
    expect(error.tlsInfo?.hostnameCheck).toBe('failed');
    expect(srv.requests).toHaveLength(0);
  });

  it('checks DNS names too: "localhost" matches the server certificate', async () => {
    const srv = await server();
    const info = await connection(srv.port, { host: 'localhost' }).open();
    expect(info.hostnameCheck).toBe('passed');
  });

  it('refuses a chain that does not lead to CA Trusted Cert: CERT_UNTRUSTED telling what to load', async () => {
    const srv = await server({ cert: pki.otherCert, key: pki.otherKey });
    const error = await rejectionOf(connection(srv.port).open());
    expect(error.code).toBe('CERT_UNTRUSTED');
    expect(error.field).toBe('caCerts');
    expect(error.message).toContain('CA Trusted Cert');
    expect(error.tlsInfo?.authorized).toBe(false);
    expect(error.tlsInfo?.authorizationError).toBeTruthy();
  });

  it('refuses an expired server certificate: CERT_EXPIRED with its end date; Verify = no accepts it', async () => {
    const srv = await server({ cert: pki.expiredCert, key: pki.expiredKey });
    const error = await rejectionOf(connection(srv.port).open());
    expect(error.code).toBe('CERT_EXPIRED');
    expect(error.message).toContain('2021');
    const info = await connection(srv.port, { verify: false }).open();
    expect(info.authorizationError).toBe('CERT_HAS_EXPIRED');
  });

  it('uses the system roots when CA Trusted Cert is empty (a private CA is then untrusted)', async () => {
    const srv = await server();
    const error = await rejectionOf(connection(srv.port, { tls: {} }).open());
    expect(error.code).toBe('CERT_UNTRUSTED');
    expect(error.message).toContain('system');
  });

  it('accepts CA Trusted Cert given as DER', async () => {
    const srv = await server();
    const der = new X509Certificate(pki.ca).raw;
    const conn = connection(srv.port, { tls: { caCerts: der } });
    await conn.open();
    expect(uidOf(await conn.roundTrip(getRequest('der'), { idempotent: true }))).toBe('der');
  });
});

describe('SNI', () => {
  it('sends the server name for a DNS host and none for an IP address', async () => {
    const srv = await server();
    await connection(srv.port, { host: 'localhost' }).open();
    await connection(srv.port).open();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(srv.connections.map((c) => c.socket.servername)).toEqual(['localhost', false]);
  });

  it('IPv6 literal hosts: checked against IP SANs, no SNI, shown in brackets', async () => {
    const srv = await local.server(undefined, {}, '::1');
    const error = await rejectionOf(connection(srv.port, { host: '::1' }).open());
    expect(error.code).toBe('HOSTNAME_MISMATCH');
    expect(error.message).toContain('"::1"');
    expect(error.message).toContain('IP Address:127.0.0.1');
    const conn = connection(srv.port, { host: '::1', verify: false });
    await conn.open();
    expect(uidOf(await conn.roundTrip(getRequest('v6'), { idempotent: true }))).toBe('v6');
    expect(srv.connections[0]?.socket.servername).toBe(false);
    await srv.close();
    const refused = await rejectionOf(connection(srv.port, { host: '::1' }).open());
    expect(refused.code).toBe('CONNECTION_REFUSED');
    expect(refused.message).toContain(`[::1]:${srv.port}`);
  });
});

describe('Verify = no', () => {
  it('accepts a wrong host name and an untrusted chain, and reports what it saw', async () => {
    const srv = await server({ cert: pki.otherCert, key: pki.otherKey });
    const conn = connection(srv.port, { verify: false });
    const info = await conn.open();
    expect(info.authorized).toBe(false);
    expect(info.hostnameCheck).toBe('skipped');
    expect(uidOf(await conn.roundTrip(getRequest('ok'), { idempotent: true }))).toBe('ok');
  });

  it('still enforces the pin: PIN_MISMATCH before any KMIP byte is sent', async () => {
    const srv = await server({ cert: pki.otherCert, key: pki.otherKey });
    const conn = connection(srv.port, { verify: false, tls: { pinnedServerCert: pki.serverCert } });
    const error = await rejectionOf(conn.open());
    expect(error.code).toBe('PIN_MISMATCH');
    expect(error.field).toBe('pinnedServerCert');
    expect(error.tlsInfo?.pin).toBe('mismatched');
    // roundTrip connects itself and must refuse the same way, without writing the request
    expect((await rejectionOf(conn.roundTrip(getRequest('secret'), { idempotent: true }))).code).toBe('PIN_MISMATCH');
    expect(srv.requests).toHaveLength(0);
  });

  it('accepts the pinned certificate, given as PEM or DER', async () => {
    const srv = await server({ cert: pki.otherCert, key: pki.otherKey });
    for (const pinned of [pki.otherCert, new X509Certificate(pki.otherCert).raw]) {
      const info = await connection(srv.port, { verify: false, tls: { pinnedServerCert: pinned } }).open();
      expect(info.pin).toBe('matched');
    }
  });
});

describe('pinning with Verify = yes', () => {
  it('refuses a verified server whose certificate is not the pinned one', async () => {
    const srv = await server();
    const error = await rejectionOf(connection(srv.port, { tls: { caCerts: pki.ca, pinnedServerCert: pki.otherCert } }).open());
    expect(error.code).toBe('PIN_MISMATCH');
  });

  it('a pinned but untrusted server is still refused by the chain check', async () => {
    const srv = await server({ cert: pki.otherCert, key: pki.otherKey });
    const error = await rejectionOf(connection(srv.port, { tls: { caCerts: pki.ca, pinnedServerCert: pki.otherCert } }).open());
    expect(error.code).toBe('CERT_UNTRUSTED');
  });
});

describe('client credentials', () => {
  it('PEM certificate and key: the server that requires them accepts', async () => {
    const srv = await clientAuthServer();
    const conn = connection(srv.port, { tls: { caCerts: pki.ca, clientCert: { kind: 'pem', cert: pki.clientCert, key: pki.clientKey } } });
    await conn.open();
    expect(uidOf(await conn.roundTrip(getRequest('pem'), { idempotent: true }))).toBe('pem');
    expect(srv.connections[0]?.socket.getPeerCertificate().subject?.CN).toBe('transport-client');
  });

  it('encrypted PEM key with its password works; with a wrong password → BAD_CLIENT_CREDENTIAL_FILE without the password', async () => {
    const srv = await clientAuthServer();
    const good = connection(srv.port, { tls: { caCerts: pki.ca, clientCert: { kind: 'pem', cert: pki.clientCert, key: pki.clientKeyEncrypted, keyPassphrase: KEY_PASSWORD } } });
    await good.open();
    const wrongPassword = 'Wrong-Secret-123';
    const error = await rejectionOf(
      connection(srv.port, { tls: { caCerts: pki.ca, clientCert: { kind: 'pem', cert: pki.clientCert, key: pki.clientKeyEncrypted, keyPassphrase: wrongPassword } } }).open(),
    );
    expect(error.code).toBe('BAD_CLIENT_CREDENTIAL_FILE');
    expect(error.message).toMatch(/wrong password/i);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(wrongPassword);
  });

  it('a wrong password that decrypts to valid padding (OpenSSL then fails to decode the key) is still named a wrong password', async () => {
    // About 1 wrong password in 200-400 does so: find a few with OpenSSL itself, then open with each.
    const srv = await clientAuthServer();
    const decoded: string[] = [];
    for (let i = 0; i < 20_000 && decoded.length < 2; i += 1) {
      try {
        createPrivateKey({ key: pki.clientKeyEncrypted, format: 'pem', passphrase: `Wrong-${i}` });
      } catch (error) {
        if (/DECODER routines/.test((error as Error).message)) decoded.push(`Wrong-${i}`);
      }
    }
    expect(decoded).toHaveLength(2);
    for (const password of decoded) {
      const error = await rejectionOf(
        connection(srv.port, { tls: { caCerts: pki.ca, clientCert: { kind: 'pem', cert: pki.clientCert, key: pki.clientKeyEncrypted, keyPassphrase: password } } }).open(),
      );
      expect(error.code).toBe('BAD_CLIENT_CREDENTIAL_FILE');
      expect(error.message).toMatch(/wrong password/i);
    }
  });

  it('PKCS#12 with its passphrase works; a wrong passphrase → BAD_CLIENT_CREDENTIAL_FILE', async () => {
    const srv = await clientAuthServer();
    await connection(srv.port, { tls: { caCerts: pki.ca, clientCert: { kind: 'p12', pfx: pki.clientP12, passphrase: KEY_PASSWORD } } }).open();
    const error = await rejectionOf(
      connection(srv.port, { tls: { caCerts: pki.ca, clientCert: { kind: 'p12', pfx: pki.clientP12, passphrase: 'nope-nope' } } }).open(),
    );
    expect(error.code).toBe('BAD_CLIENT_CREDENTIAL_FILE');
    expect(error.field).toBe('clientCert');
    expect(error.message).not.toContain('nope-nope');
  });

  it('a key that does not match the certificate → BAD_CLIENT_CREDENTIAL_FILE', async () => {
    const error = await rejectionOf(
      connection(1, { tls: { clientCert: { kind: 'pem', cert: pki.clientCert, key: pki.serverKey } } }).open(),
    );
    expect(error.code).toBe('BAD_CLIENT_CREDENTIAL_FILE');
    expect(error.message).toContain('does not belong');
  });

  it('a server requiring a client certificate that was not given → CLIENT_CERT_REFUSED (TLS 1.2 and 1.3)', async () => {
    for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
      const srv = await clientAuthServer({ minVersion: version, maxVersion: version });
      // TLS 1.3 servers judge the certificate after the client's handshake completes: open() waits for the verdict.
      const error = await rejectionOf(connection(srv.port).open());
      expect(error.code, version).toBe('CLIENT_CERT_REFUSED');
      expect(error.message).toContain('none is configured');
      expect(error.field).toBe('clientCert');
    }
  });

  it('a client certificate from a CA the server does not trust → CLIENT_CERT_REFUSED (TLS 1.2 and 1.3)', async () => {
    for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
      const srv = await clientAuthServer({ ca: pki.otherCert, minVersion: version, maxVersion: version });
      const conn = connection(srv.port, { tls: { caCerts: pki.ca, clientCert: { kind: 'pem', cert: pki.clientCert, key: pki.clientKey } } });
      const error = await rejectionOf(conn.open());
      expect(error.code, version).toBe('CLIENT_CERT_REFUSED');
    }
  });

  it('TLS 1.3 with an accepted client certificate opens without waiting for the verdict bound', async () => {
    const srv = await clientAuthServer({ minVersion: 'TLSv1.3' });
    const conn = connection(srv.port, { tls: { caCerts: pki.ca, clientCert: { kind: 'pem', cert: pki.clientCert, key: pki.clientKey } } });
    const info = await conn.open();
    expect(info.protocol).toBe('TLSv1.3');
    expect(info.handshakeMs).toBeLessThan(200);
    expect(uidOf(await conn.roundTrip(getRequest('tls13'), { idempotent: true }))).toBe('tls13');
  });
});

describe('protocol versions and ciphers', () => {
  it('negotiates at least TLS 1.2; a TLS 1.1-only server → TLS_VERSION_REFUSED', async () => {
    const srv = await server({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    const error = await rejectionOf(connection(srv.port).open());
    expect(error.code).toBe('TLS_VERSION_REFUSED');
    expect(error.message).toContain('TLS 1.2');
  });

  it('an invalid cipher list → INVALID_CIPHERS naming the Ciphers field, before connecting', async () => {
    const error = await rejectionOf(connection(1, { tls: { ciphers: 'NOT-A-CIPHER:ALSO-NOT' } }).open());
    expect(error.code).toBe('INVALID_CIPHERS');
    expect(error.field).toBe('ciphers');
    expect(error.message).toContain('Ciphers');
    expect(checkCipherList('NOT-A-CIPHER')?.code).toBe('INVALID_CIPHERS');
    expect(checkCipherList('ECDHE-ECDSA-AES128-GCM-SHA256')).toBeNull();
  });

  it('a cipher list that lowers OpenSSL to security level 0 → INVALID_CIPHERS: it would allow suites without encryption', async () => {
    const srv = await server({ maxVersion: 'TLSv1.2', ciphers: 'ALL:eNULL:@SECLEVEL=0' });
    for (const ciphers of ['eNULL:@SECLEVEL=0', 'ALL:@seclevel=0:!aNULL']) {
      const error = await rejectionOf(connection(srv.port, { tls: { caCerts: pki.ca, ciphers } }).open());
      expect(error).toMatchObject({ code: 'INVALID_CIPHERS', field: 'ciphers' });
      expect(error.message).toContain('in the clear');
    }
    expect(checkCipherList('ALL:@SECLEVEL=2')).toBeNull();
    expect(checkCipherList('ALL:@SECLEVEL=0')?.code).toBe('INVALID_CIPHERS');
  });

  it("a TLS 1.2 suite's IANA name (which OpenSSL would skip in silence, leaving no cipher) → INVALID_CIPHERS with its OpenSSL name, before connecting", async () => {
    for (const ciphers of ['TLS_RSA_WITH_AES_256_CBC_SHA256', 'AES256-SHA256:TLS_RSA_WITH_AES_256_CBC_SHA256']) {
      const error = await rejectionOf(connection(1, { tls: { ciphers } }).open());
      expect(error).toMatchObject({ code: 'INVALID_CIPHERS', field: 'ciphers' });
      expect(error.message).toContain('"TLS_RSA_WITH_AES_256_CBC_SHA256" is no TLS 1.3 suite');
      expect(error.message).toContain('AES256-SHA256');
    }
    expect(checkCipherList('TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-AES256-GCM-SHA384')).toBeNull();
  });

  it('TLS 1.3 suites in the list are honoured whatever separates the names (Node.js looks for them between ":" only)', async () => {
    const srv = await server({ minVersion: 'TLSv1.3', ciphers: 'TLS_AES_256_GCM_SHA384' });
    for (const separator of [':', ' ', ',']) {
      const error = await rejectionOf(connection(srv.port, { tls: { caCerts: pki.ca, ciphers: ['TLS_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384'].join(separator) } }).open());
      expect(error.code, `separator "${separator}"`).toBe('TLS_HANDSHAKE_FAILED');
      const info = await connection(srv.port, { tls: { caCerts: pki.ca, ciphers: ['TLS_AES_256_GCM_SHA384', 'ECDHE-ECDSA-AES256-GCM-SHA384'].join(separator) } }).open();
      expect(info.cipher?.standardName ?? info.cipher?.name).toMatch(/AES_256_GCM_SHA384/);
    }
  });

  it('a cipher list is honoured on TLS 1.2', async () => {
    const srv = await server({ maxVersion: 'TLSv1.2' });
    const info = await connection(srv.port, { tls: { caCerts: pki.ca, ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384' } }).open();
    expect(info.protocol).toBe('TLSv1.2');
    expect(info.cipher?.name).toBe('ECDHE-ECDSA-AES256-GCM-SHA384');
  });

  it('no shared cipher → TLS_HANDSHAKE_FAILED pointing at Ciphers', async () => {
    const srv = await server({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
    const error = await rejectionOf(connection(srv.port, { tls: { caCerts: pki.ca, ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384' } }).open());
    expect(error.code).toBe('TLS_HANDSHAKE_FAILED');
    expect(error.message).toContain('Ciphers');
  });
});

describe('network errors', () => {
  it('a closed port → CONNECTION_REFUSED naming Host Name and Port', async () => {
    const srv = await server();
    const port = srv.port;
    await srv.close();
    const error = await rejectionOf(connection(port).open());
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it('an unknown host → DNS_LOOKUP_FAILED', async () => {
    const error = await rejectionOf(connection(5696, { host: 'no-such-host.invalid' }).open());
    expect(error.code).toBe('DNS_LOOKUP_FAILED');
    expect(error.field).toBe('host');
  });

  it('invalid options are refused at construction', () => {
    expect(() => new KmipConnection(optionsFor(pki, 70000))).toThrow(/Port/);
  });
});
