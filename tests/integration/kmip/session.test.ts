// Negotiation, credentials, TLS refusals and pipelining of KmipClient against real PyKMIP servers.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KmipClient, KmipOperationError, TransportError, type KmipLogger, type LogFields } from '../../../main/kmip';
import { startKmipFaultProxy } from '../../support/fault-matrix';
import { KMIP_10_SERVER } from '../../support/fault-proxy';
import { describeWithServices, requireServices, startPykmipServer, type PykmipServer } from '../../support/services';
import { clientOptions, uniqueName } from './kmip-client-options';

function recordingLogger(): KmipLogger & { events: Array<{ event: string; fields: LogFields }> } {
  const events: Array<{ event: string; fields: LogFields }> = [];
  return { events, debug: (event, fields) => events.push({ event, fields }) };
}

describeWithServices('KmipClient sessions against PyKMIP', () => {
  it('auto negotiation picks KMIP 2.0 and the session works in it', async () => {
    const client = await KmipClient.connect(clientOptions({ protocol: 'auto' }));
    try {
      expect(client.version).toBe('2.0');
      expect(client.tlsInfo.protocol).toBe('TLSv1.2');
      const name = uniqueName('auto');
      const { uniqueIdentifier } = await client.createAesKey({ length: 256, name });
      expect((await client.locate({ name })).uniqueIdentifiers).toEqual([uniqueIdentifier]);
    } finally {
      await client.close();
    }
  });

  it('auto negotiation with a KMIP 1.0 server falls back to 1.0, and PyKMIP serves the session at 1.0', async () => {
    // PyKMIP knows Discover Versions; the proxy answers it as a 1.0 server does and relays the rest.
    const proxy = await startKmipFaultProxy({ refuse: KMIP_10_SERVER });
    const logger = recordingLogger();
    const client = await KmipClient.connect(clientOptions({ host: proxy.host, port: proxy.port, protocol: 'auto', logger }));
    try {
      expect(client.version).toBe('1.0');
      const name = uniqueName('kmip10');
      const { uniqueIdentifier } = await client.createAesKey({ length: 128, name });
      expect((await client.locate({ name })).uniqueIdentifiers).toEqual([uniqueIdentifier]);
      expect((await client.get(uniqueIdentifier)).keyBytes).toHaveLength(16);
      await client.destroy(uniqueIdentifier);
    } finally {
      await client.close();
      await proxy.stop();
    }
    const minor = (event: string) =>
      logger.events.filter((entry) => entry.event === event).map(({ fields }) => /ProtocolVersionMinor \(Integer\): (\d)/.exec(String(fields.tree))?.[1]);
    // Discover Versions under a 1.1 header, then every request and every PyKMIP answer at 1.0.
    expect(minor('kmip.request')).toEqual(['1', '0', '0', '0', '0']);
    expect(minor('kmip.response')).toEqual(['0', '0', '0', '0', '0']);
    expect(proxy.stats.requestsForwarded).toBe(4);
  });

  it('sends the Username and Password credential in every header, redacted in the debug log', async () => {
    const logger = recordingLogger();
    const password = `pw-${randomBytes(6).toString('hex')}`;
    const client = await KmipClient.connect(
      clientOptions({ protocol: 'auto', credentials: { username: 'alice', password }, logger }),
    );
    try {
      const result = await client.query();
      expect(result.vendorIdentification).toMatch(/PyKMIP/);
    } finally {
      await client.close();
    }
    const requests = logger.events.filter((entry) => entry.event === 'kmip.request');
    expect(requests.length).toBe(2); // Discover Versions, then Query
    for (const { fields } of requests) {
      expect(fields.tree).toContain('Username (TextString): "alice"');
      expect(fields.tree).toContain('Password (TextString): "[redacted]"');
    }
    expect(JSON.stringify(logger.events)).not.toContain(password);
    expect(JSON.stringify(logger.events)).not.toContain(Buffer.from(password).toString('hex'));
  });

  it('sends the header Time Stamp when asked, and PyKMIP accepts it', async () => {
    const logger = recordingLogger();
    const client = await KmipClient.connect(clientOptions({ protocol: '2.0', sendTimeStamp: true, logger }));
    try {
      expect((await client.query()).operations.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
    const request = logger.events.find((entry) => entry.event === 'kmip.request');
    expect(request?.fields.tree).toMatch(/TimeStamp \(DateTime\): \d{4}-/);
  });

  it('sends Maximum Response Size, and a larger answer fails with Response Too Large', async () => {
    const client = await KmipClient.connect(clientOptions({ protocol: '1.4', maxResponseSize: 64 }));
    try {
      const error = await client.query().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KmipOperationError);
      expect(error).toMatchObject({ operation: 'Query', resultReason: 'ResponseTooLarge' });
      expect((error as Error).message).toMatch(/Maximum Response Size/);
    } finally {
      await client.close();
    }
  });

  it('a fixed KMIP 2.1, which PyKMIP lacks, fails with the server reason instead of a garbled answer', async () => {
    const client = await KmipClient.connect(clientOptions({ protocol: '2.1' }));
    try {
      const error = await client.query().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KmipOperationError);
      expect(error).toMatchObject({ resultReason: 'InvalidMessage' });
      expect((error as Error).message).toMatch(/KMIP 1\.0 header/);
    } finally {
      await client.close();
    }
  });

  it('reports a client certificate the server does not trust as refused', async () => {
    const { pki } = requireServices();
    const options = clientOptions({
      tls: {
        clientCert: { kind: 'pem', cert: readFileSync(pki.untrustedClientCert), key: readFileSync(pki.untrustedClientKey) },
        caCerts: readFileSync(pki.caCert),
      },
    });
    const error = await KmipClient.connect(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'CLIENT_CERT_REFUSED' });
    expect((error as Error).message).toMatch(/client certificate/);
  });

  describe('a server whose certificate names another host', () => {
    let server: PykmipServer;

    beforeAll(async () => {
      const { pki } = requireServices();
      server = await startPykmipServer({ cert: pki.serverWrongHostCert, key: pki.serverWrongHostKey });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('is refused with Verify = yes when reached as localhost', async () => {
      const error = await KmipClient.connect(clientOptions({ host: 'localhost', port: server.port, verify: true })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'HOSTNAME_MISMATCH' });
      expect((error as Error).message).toMatch(/localhost/);
    });

    it('is accepted with Verify = no (the name check is what refused it)', async () => {
      const client = await KmipClient.connect(clientOptions({ host: 'localhost', port: server.port, verify: false }));
      try {
        expect(client.version).toBe('2.0');
        expect(client.tlsInfo.hostnameCheck).toBe('skipped');
      } finally {
        await client.close();
      }
    });
  });

  it('pipelines concurrent Gets on one connection (Nbio = 1) and matches every answer', async () => {
    const logger = recordingLogger();
    const client = await KmipClient.connect(clientOptions({ protocol: '1.4', pipelined: true, logger }));
    try {
      const secrets = Array.from({ length: 6 }, () => randomBytes(32));
      const ids: string[] = [];
      for (const data of secrets) ids.push((await client.registerSecretData({ data })).uniqueIdentifier);

      const results = await Promise.all([
        ...ids.map((id) => client.get(id)),
        ...ids.map((id) => client.getAttributes(id, ['Object Type'])),
      ]);
      ids.forEach((id, index) => {
        const object = results[index] as Awaited<ReturnType<KmipClient['get']>>;
        expect(object.uniqueIdentifier).toBe(id);
        expect(Buffer.from(object.keyBytes).equals(secrets[index] as Buffer)).toBe(true);
      });
      expect(results.slice(ids.length).map((r) => r.uniqueIdentifier)).toEqual(ids);
      expect(logger.events.filter((entry) => entry.event === 'kmip.connect')).toHaveLength(1);
    } finally {
      await client.close();
    }
  });
});
