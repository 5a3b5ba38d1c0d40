// TLS negatives (issue 6 point 2) through KmipClient against servers started by the tests: PyKMIP
// servers with bad certificates, and node:tls servers for what PyKMIP cannot do (TLS 1.0/1.1 only:
// PyKMIP's TLS 1.0 suite fails every handshake on OpenSSL 3). Each case must be refused with its
// own code when Verify = yes; Verify = no skips chain and host checks but still enforces the pin.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KmipClient,
  KmipOperationError,
  TransportError,
  type KmipClientOptions,
  type TransportErrorCode,
} from '../../../main/kmip';
import { connectRefusal, describeWithServices, pykmipClientOptions, requireServices, startPykmipServer, type PykmipServer } from '../../support/services';

const TIMEOUT_MS = 5_000;
/** Case → what the client said, printed at the end for the report. */
const results: string[] = [];

function record(outcome: string): void {
  results.push(`| ${expect.getState().currentTestName?.split(' > ').slice(1).join(' > ') ?? '?'} | ${outcome} |`);
}

afterAll(() => {
  if (results.length > 0) console.log(['TLS cases', '| case | outcome |', '|---|---|', ...results].join('\n'));
});
const read = (path: string): Buffer => readFileSync(path);

function options(target: { host: string; port: number }, overrides: Partial<KmipClientOptions> = {}): KmipClientOptions {
  const base = pykmipClientOptions({ host: target.host, port: target.port, timeoutMs: TIMEOUT_MS });
  return { ...base, ...overrides, tls: { ...base.tls, ...overrides.tls } };
}

/** Connecting must fail with a TransportError of `code`, well within the timeout. */
async function expectRefused(opts: KmipClientOptions, code: TransportErrorCode): Promise<TransportError> {
  const started = Date.now();
  const transportError = await connectRefusal(opts);
  expect({ code: transportError.code, message: transportError.message }).toMatchObject({ code });
  expect(transportError.message.length).toBeGreaterThan(20);
  expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);
  record(`${transportError.code}${transportError.field ? ` (field ${transportError.field})` : ''}: ${transportError.message}`);
  return transportError;
}

/** Connecting must succeed and negotiate KMIP over TLS 1.2. */
async function expectConnects(opts: KmipClientOptions): Promise<void> {
  const client = await KmipClient.connect(opts);
  try {
    expect(client.tlsInfo.protocol).toBe('TLSv1.2');
    expect(client.version).toBe('2.0');
    record(`connected: ${client.tlsInfo.protocol}, KMIP ${client.version}, pin ${client.tlsInfo.pin}`);
  } finally {
    await client.close();
  }
}

describeWithServices('TLS negatives against PyKMIP', () => {
  let otherCa: PykmipServer;
  let expired: PykmipServer;
  let wrongHost: PykmipServer;

  beforeAll(async () => {
    const { pki } = requireServices();
    [otherCa, expired, wrongHost] = await Promise.all([
      startPykmipServer({ cert: pki.serverOtherCaCert, key: pki.serverOtherCaKey }),
      startPykmipServer({ cert: pki.serverExpiredCert, key: pki.serverExpiredKey }),
      startPykmipServer({ cert: pki.serverWrongHostCert, key: pki.serverWrongHostKey }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([otherCa, expired, wrongHost].filter(Boolean).map((server) => server.stop()));
  });

  it('control: the run server is accepted with Verify = yes, by IP and by host name', async () => {
    const services = requireServices();
    await expectConnects(options(services));
    await expectConnects(options({ host: 'localhost', port: services.port }));
  });

  it('untrusted CA: CERT_UNTRUSTED (server signed by another CA, or the wrong CA loaded)', async () => {
    const services = requireServices();
    const error = await expectRefused(options(otherCa), 'CERT_UNTRUSTED');
    expect(error.field).toBe('caCerts');
    await expectRefused(options(services, { tls: { caCerts: read(services.pki.otherCaCert) } }), 'CERT_UNTRUSTED');
  });

  it('expired server certificate: CERT_EXPIRED', async () => {
    const error = await expectRefused(options(expired), 'CERT_EXPIRED');
    expect(error.message).toMatch(/expired/i);
  });

  it('wrong host name: HOSTNAME_MISMATCH', async () => {
    const error = await expectRefused(options(wrongHost), 'HOSTNAME_MISMATCH');
    expect(error.message).toContain('wrong.example');
  });

  it('pin mismatch: PIN_MISMATCH with Verify = yes and with Verify = no', async () => {
    const services = requireServices();
    const wrongPin = { pinnedServerCert: read(services.pki.serverWrongHostCert) };
    for (const verify of [true, false]) {
      const error = await expectRefused(options(services, { verify, tls: wrongPin }), 'PIN_MISMATCH');
      expect(error.field).toBe('pinnedServerCert');
    }
    await expectConnects(options(services, { tls: { pinnedServerCert: read(services.pki.serverCert) } }));
  });

  it('Verify = no accepts an untrusted, expired or misnamed server, but only with the right pin', async () => {
    const { pki } = requireServices();
    for (const [server, cert] of [
      [otherCa, pki.serverOtherCaCert],
      [expired, pki.serverExpiredCert],
      [wrongHost, pki.serverWrongHostCert],
    ] as const) {
      await expectConnects(options(server, { verify: false }));
      await expectConnects(options(server, { verify: false, tls: { pinnedServerCert: read(cert) } }));
      await expectRefused(options(server, { verify: false, tls: { pinnedServerCert: read(pki.serverCert) } }), 'PIN_MISMATCH');
    }
  });

  it('server requiring a client certificate, none given: CLIENT_CERT_REFUSED', async () => {
    const services = requireServices();
    const opts = options(services);
    delete opts.tls.clientCert;
    const error = await expectRefused(opts, 'CLIENT_CERT_REFUSED');
    expect(error.field).toBe('clientCert');
  });

  it('client certificate without clientAuth (serverAuth only): CLIENT_CERT_REFUSED', async () => {
    const services = requireServices();
    const { pki } = services;
    const opts = options(services, {
      tls: { clientCert: { kind: 'pem', cert: read(pki.clientNoClientAuthCert), key: read(pki.clientNoClientAuthKey) } },
    });
    const error = await expectRefused(opts, 'CLIENT_CERT_REFUSED');
    expect(error.field).toBe('clientCert');
  });

  it('client certificate from an untrusted CA, or expired: CLIENT_CERT_REFUSED', async () => {
    const services = requireServices();
    const { pki } = services;
    for (const [cert, key] of [
      [pki.untrustedClientCert, pki.untrustedClientKey],
      [pki.clientExpiredCert, pki.clientExpiredKey],
    ] as const) {
      await expectRefused(
        options(services, { tls: { clientCert: { kind: 'pem', cert: read(cert), key: read(key) } } }),
        'CLIENT_CERT_REFUSED',
      );
    }
  });

  it('client certificate without any EKU: TLS passes, PyKMIP refuses at the KMIP level', async () => {
    const services = requireServices();
    const { pki } = services;
    const error: unknown = await KmipClient.connect(
      options(services, { tls: { clientCert: { kind: 'pem', cert: read(pki.clientNoEkuCert), key: read(pki.clientNoEkuKey) } } }),
    ).then(
      async (client) => {
        await client.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KmipOperationError);
    expect((error as KmipOperationError).resultReason).toMatch(/Authentication ?Not ?Successful/i);
    record(`KmipOperationError ${(error as KmipOperationError).resultReason}: ${(error as Error).message}`);
  });
});

/** A node:tls server limited to old TLS versions (security level 0, as such servers run). */
function startOldTlsServer(version: 'TLSv1' | 'TLSv1.1'): Promise<Server> {
  const { pki } = requireServices();
  const server = createServer(
    {
      cert: read(pki.serverCert),
      key: read(pki.serverKey),
      minVersion: version,
      maxVersion: version,
      ciphers: 'DEFAULT:@SECLEVEL=0',
    },
    (socket) => socket.end(),
  );
  server.on('tlsClientError', () => undefined);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describeWithServices('TLS negatives against node:tls servers', () => {
  for (const version of ['TLSv1', 'TLSv1.1'] as const) {
    describe(`a server offering only ${version}`, () => {
      let server: Server;
      beforeAll(async () => {
        server = await startOldTlsServer(version);
      });
      afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

      it('is refused with TLS_VERSION_REFUSED, Verify = yes or no', async () => {
        const address = server.address();
        if (address === null || typeof address === 'string') throw new Error('no server address');
        const target = { host: '127.0.0.1', port: address.port };
        for (const verify of [true, false]) {
          const error = await expectRefused(options(target, { verify }), 'TLS_VERSION_REFUSED');
          expect(error.message).toMatch(/TLS 1\.2/);
        }
      });
    });
  }
});
