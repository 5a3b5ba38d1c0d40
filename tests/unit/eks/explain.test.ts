// explain(): what a step shows for a failure. An unexpected one never includes a Node.js error's
// message, which quotes the value it refused (it could be a secret); a timeout's fix fits its phase.
import { afterEach, describe, expect, it } from 'vitest';
import { explain } from '../../../main/eks';
import { KmipConnection, KmipVersionError, TransportError } from '../../../main/kmip';
import { StoreError } from '../../../main/store';
import { generatePki, getRequest, optionsFor, rejectionOf, startKmipServer, type TestPki } from '../../support/transport-fixtures';

describe('explain', () => {
  it('names a Node.js error by its code only', () => {
    const refused = Object.assign(new TypeError("The argument 'flags' is invalid. Received 'hunter2'"), { code: 'ERR_INVALID_ARG_VALUE' });
    const explanation = explain(refused);
    expect(explanation.code).toBe('INTERNAL');
    expect(explanation.detail).toBe("Internal error: ERR_INVALID_ARG_VALUE (Node.js's message is not shown: it can quote the value it refused)");
  });

  it('does not answer a version failure under Protocol auto with "set Protocol to auto" alone', () => {
    const fix = explain(new KmipVersionError('KMIP_NO_COMMON_VERSION', 'The server listed no KMIP version in its Discover Versions answer.')).fix;
    expect(fix).toMatch(/If Protocol is set to a version, set it to auto or to one the server supports; if it is auto, .*check its KMIP settings/);
  });

  it('does not tell the loser of two overlapping Applies to simply run it again (that registers one more generation)', () => {
    const fix = explain(new StoreError('STORE_CHANGED', 'The store was changed by another kmip-console process since it was opened.', '/data/store.kcs')).fix;
    expect(fix).toMatch(/see what is applied and stored now .*kmip-console status.*, then run the action again only if it is still needed/);
  });

  it('keeps the message of any other unexpected error, for the bug report', () => {
    expect(explain(new Error('store header lacks a field')).detail).toBe('Internal error: store header lacks a field');
  });

  it('gives a TLS handshake timeout (TCP connected) a fix about the port, not about dropped packets', () => {
    const handshake = explain(new TransportError('CONNECT_TIMEOUT', 'The TLS handshake … although TCP connected.', { field: 'timeout', detail: 'handshake' }));
    expect(handshake.fix).toMatch(/does not speak TLS in time: check that Port is the key server's KMIP port/);
    expect(handshake.fix).not.toMatch(/firewall/i);
    expect(explain(new TransportError('CONNECT_TIMEOUT', 'No TCP connection …', { field: 'timeout', detail: 'connect' })).fix).toMatch(/firewall/);
  });
});

describe('explain: a connection the server closed', () => {
  let pki: TestPki | undefined;
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** The error of a non-idempotent request (Activate) that the server drops unanswered after answering `answeredFirst` requests. */
  async function droppedAfter(answeredFirst: number): Promise<TransportError> {
    pki ??= generatePki();
    let seen = 0;
    const server = await startKmipServer(pki, (request, connection) => {
      seen += 1;
      if (seen > answeredFirst) connection.socket.destroy();
      else connection.answer(request);
    });
    const connection = new KmipConnection(optionsFor(pki, server.port, { autoReconnect: false }));
    cleanups.push(() => connection.close(), () => server.close());
    for (let i = 0; i < answeredFirst; i++) await connection.roundTrip(getRequest(`ok-${i}`), { idempotent: true });
    return rejectionOf(connection.roundTrip(getRequest('activate-me'), { idempotent: false }));
  }

  it('points at the client certificate only when the server had answered nothing on the connection', async () => {
    const first = explain(await droppedAfter(0));
    expect(first.code).toBe('CONNECTION_CLOSED');
    expect(first.fix).toMatch(/may refuse this client certificate/);

    const later = explain(await droppedAfter(4));
    expect(later.code).toBe('CONNECTION_CLOSED');
    expect(later.fix).not.toMatch(/certificate/);
    expect(later.fix).toMatch(/had answered requests on this connection, so it accepts this client: it may have restarted/);
  });

  it('says of a dropped request that changes state that its outcome is unknown, without claiming it creates an object', async () => {
    const { detail } = explain(await droppedAfter(1));
    expect(detail).toMatch(/closed before the server answered, and Auto-Reconnect is off, so it was not re-opened\. .*its outcome is unknown/);
    expect(detail).toMatch(/Get Attributes shows a State it changed/);
    expect(detail).not.toMatch(/it may create an object/);
  });
});
