// A request above the 1 MiB message-size cap against the real PyKMIP server: refused before any byte
// is sent (PyKMIP would wait without answering until Timeout, leaving a Register's outcome unknown),
// and the same connection serves the next request.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_MAX_MESSAGE_BYTES, KmipClient, TransportError, type KmipLogger, type LogFields } from '../../../main/kmip';
import { describeWithServices } from '../../support/services';
import { clientOptions, uniqueName } from './kmip-client-options';

describeWithServices('the request size cap against PyKMIP', () => {
  const events: Array<{ event: string; fields: LogFields }> = [];
  const logger: KmipLogger = { debug: (event, fields) => events.push({ event, fields }) };
  let client: KmipClient;

  beforeAll(async () => {
    client = await KmipClient.connect(clientOptions({ protocol: '1.4', logger }));
  });
  afterAll(async () => {
    await client?.close();
  });

  it('refuses a 2 MiB Register at once, sends nothing, and keeps the connection for the next request', async () => {
    const name = uniqueName('too-large');
    const started = performance.now();
    const error = await client.registerSecretData({ data: new Uint8Array(2 * DEFAULT_MAX_MESSAGE_BYTES).fill(0x5a), name }).catch((caught: unknown) => caught);
    expect(performance.now() - started).toBeLessThan(2000); // not the 15 s Timeout
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'REQUEST_TOO_LARGE' });
    expect((error as Error).message).toMatch(/^The Register request would be \d+ bytes encoded, above the 1048576-byte \(1 MiB\) message-size cap of this client.*It was not sent/);
    expect(events.filter(({ event }) => event === 'kmip.request')).toHaveLength(0);

    // The same connection (no reconnect), and the refused Register created nothing.
    expect((await client.locate({ name })).uniqueIdentifiers).toEqual([]);
    const { uniqueIdentifier } = await client.registerSecretData({ data: new Uint8Array(32).fill(1), name: uniqueName('after-too-large') });
    expect((await client.get(uniqueIdentifier)).keyBytes).toEqual(new Uint8Array(32).fill(1));
    expect(events.filter(({ event }) => event === 'kmip.connect')).toHaveLength(1);
    expect(events.filter(({ event }) => event === 'kmip.reconnect')).toHaveLength(0);
  });

  it('counts the whole encoded request: data just under 1 MiB is still refused', async () => {
    const data = new Uint8Array(DEFAULT_MAX_MESSAGE_BYTES - 64).fill(0xa5);
    const error = await client.registerSecretData({ data, name: uniqueName('just-over') }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'REQUEST_TOO_LARGE' });
    const size = Number(/would be (\d+) bytes encoded/.exec((error as Error).message)?.[1]);
    expect(size).toBeGreaterThan(DEFAULT_MAX_MESSAGE_BYTES);
    expect(size).toBeLessThan(DEFAULT_MAX_MESSAGE_BYTES + 1024);
    expect((await client.query()).operations.length).toBeGreaterThan(0); // the connection still answers
  });
});
