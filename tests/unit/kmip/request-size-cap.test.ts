// A request above the message-size cap is refused before any byte of it is written: a server
// stalls or drops on one, which left a Register's outcome unknown. The connection stays usable.
import { describe, expect, it } from 'vitest';
import { explain } from '../../../main/eks';
import { exitCodeFor } from '../../../main/cli/output';
import { ExitCode } from '../../../main/cli/exit-codes';
import { DEFAULT_MAX_MESSAGE_BYTES, encodeTtlv, KmipClient } from '../../../main/kmip';
import { useLocalKmipServers } from '../../support/local-kmip-servers';
import { getRequest, optionsFor, rejectionOf, responseFor, uidOf } from '../../support/transport-fixtures';
import type { FakeServer } from '../../support/transport-fixtures';

const { pki, server, connection } = useLocalKmipServers();

/** Counts the bytes the server receives from now on, on the connections open now. */
function countReceived(server: FakeServer): () => number {
  let received = 0;
  for (const { socket } of server.connections) socket.on('data', (chunk: Buffer) => (received += chunk.length));
  return () => received;
}

describe('a request above the message-size cap', () => {
  it('is refused with REQUEST_TOO_LARGE naming the operation, the size and the cap; nothing is sent and the connection stays usable', async () => {
    const srv = await server();
    const conn = connection(srv.port, { maxMessageBytes: 2048 });
    await conn.open();
    const bytesReceived = countReceived(srv);

    const error = await rejectionOf(conn.roundTrip(getRequest('x'.repeat(4096)), { idempotent: true }));
    expect(error.code).toBe('REQUEST_TOO_LARGE');
    expect(error.message).toMatch(/^The Get request would be \d{4} bytes encoded, above the 2048-byte message-size cap of this client/);
    expect(error.message).toMatch(/It was not sent: nothing changed on the server.*Store a smaller value/);
    // Give a wrongly sent request time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bytesReceived()).toBe(0);
    expect(srv.requests).toHaveLength(0);

    const answer = await conn.roundTrip(getRequest('small'), { idempotent: true });
    expect(uidOf(answer)).toBe('small');
    expect(srv.connections).toHaveLength(1); // the same connection, not a new one
  });

  it('sends a request of exactly the cap', async () => {
    // A short answer, whatever was asked: the response must fit under the same cap.
    const srv = await server((_request, c) => c.socket.write(encodeTtlv(responseFor(getRequest('ok')))));
    const request = getRequest('y'.repeat(1000));
    const conn = connection(srv.port, { maxMessageBytes: encodeTtlv(request).length });
    expect(uidOf(await conn.roundTrip(request, { idempotent: true }))).toBe('ok');
    const over = await rejectionOf(conn.roundTrip(getRequest('y'.repeat(1001)), { idempotent: true }));
    expect(over.code).toBe('REQUEST_TOO_LARGE');
  });

  it('makes a 2 MiB Register fail at once under the default 1 MiB cap, without an unknown outcome', async () => {
    const srv = await server();
    const conn = connection(srv.port);
    const client = await KmipClient.start(conn, { ...optionsFor(pki, srv.port), protocol: '1.4' });
    const bytesReceived = countReceived(srv);

    const error = await rejectionOf(client.registerSecretData({ data: new Uint8Array(2 * DEFAULT_MAX_MESSAGE_BYTES).fill(7), name: 'too-big' }));
    expect(error.code).toBe('REQUEST_TOO_LARGE');
    expect(error.message).toMatch(/^The Register request would be 209\d{4} bytes encoded, above the 1048576-byte \(1 MiB\) message-size cap/);
    expect(error.message).not.toMatch(/unknown/);
    expect(bytesReceived()).toBe(0);

    // What Apply's step report and the command line make of it: a clear code and fix, not INTERNAL.
    const explanation = explain(error);
    expect(explanation).toMatchObject({ code: 'REQUEST_TOO_LARGE', detail: error.message });
    expect(explanation.fix).toMatch(/Nothing was sent: store a smaller value/);
    expect(exitCodeFor(error)).toBe(ExitCode.Failed);
  });
});
