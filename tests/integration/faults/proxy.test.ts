// The fault proxy itself, driven by a bare TLS client against the real PyKMIP server: each mode
// does what the matrix tests rely on, and the request counter counts what reached the server.
import type { TLSSocket } from 'node:tls';
import { afterEach, expect, it } from 'vitest';
import { FaultProxy, OVERSIZED_RESPONSE_HEADER, type FaultProxyOptions } from '../../support/fault-proxy';
import {
  DISCOVER_VERSIONS_REQUEST,
  RESPONSE_MESSAGE_TAG,
  RESULT_STATUS_SUCCESS,
  exchange,
  rawTlsConnect,
} from '../../support/raw-tls';
import { startKmipFaultProxy } from '../../support/fault-matrix';
import { describeWithServices, requireServices } from '../../support/services';

let proxy: FaultProxy | undefined;
const sockets: TLSSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await proxy?.stop();
  proxy = undefined;
});

async function startProxy(extra: Partial<FaultProxyOptions> = {}): Promise<FaultProxy> {
  proxy = await startKmipFaultProxy(extra);
  return proxy;
}

async function clientThrough(target: FaultProxy): Promise<TLSSocket> {
  const services = requireServices();
  const { socket, error } = await rawTlsConnect(services, target, {
    cert: services.pki.clientCert,
    key: services.pki.clientKey,
  });
  if (!socket) throw error ?? new Error('no socket');
  sockets.push(socket);
  return socket;
}

function expectSuccessResponse(bytes: Buffer): void {
  expect(bytes.subarray(0, 4)).toEqual(RESPONSE_MESSAGE_TAG);
  expect(bytes.includes(RESULT_STATUS_SUCCESS)).toBe(true);
}

describeWithServices('fault proxy (TLS terminated, KMIP-level faults)', () => {
  it('pass relays requests and responses and counts what reached the server', async () => {
    const p = await startProxy();
    const socket = await clientThrough(p);
    for (let i = 0; i < 2; i++) {
      const result = await exchange(socket, DISCOVER_VERSIONS_REQUEST);
      expect(result.complete).toBe(true);
      expectSuccessResponse(result.bytes);
    }
    expect(p.stats).toMatchObject({ connections: 1, requestsReceived: 2, requestsForwarded: 2, responsesForwarded: 2 });
  });

  it('drop-before-response: the request reaches the server, the client gets a close and no byte', async () => {
    const p = await startProxy({ mode: 'drop-before-response' });
    const result = await exchange(await clientThrough(p), DISCOVER_VERSIONS_REQUEST);
    expect(result).toMatchObject({ complete: false, closed: true });
    expect(result.bytes.length).toBe(0);
    expect(p.stats.requestsForwarded).toBe(1);
    expect(p.stats.faults['drop-before-response']).toBe(1);
  });

  it('drop-mid-response: the client gets part of a message, then a close', async () => {
    const p = await startProxy({ mode: 'drop-mid-response' });
    const result = await exchange(await clientThrough(p), DISCOVER_VERSIONS_REQUEST);
    expect(result).toMatchObject({ complete: false, closed: true });
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(result.bytes.length).toBeLessThan(8 + result.bytes.readUInt32BE(4));
  });

  it('stall: nothing comes back and the connection stays open', async () => {
    const p = await startProxy({ mode: 'stall' });
    const result = await exchange(await clientThrough(p), DISCOVER_VERSIONS_REQUEST, 1_500);
    expect(result).toMatchObject({ complete: false, closed: false });
    expect(result.bytes.length).toBe(0);
    expect(p.stats.requestsForwarded).toBe(1);
    expect(p.stats.faults.stall).toBe(1);
  });

  it('garbage: the proxy answers a response header and random bytes, nothing reaches the server', async () => {
    const p = await startProxy({ mode: 'garbage' });
    const first = await exchange(await clientThrough(p), DISCOVER_VERSIONS_REQUEST);
    const second = await exchange(await clientThrough(p), DISCOVER_VERSIONS_REQUEST);
    expect(first.complete).toBe(true);
    expect(first.bytes.subarray(0, 4)).toEqual(RESPONSE_MESSAGE_TAG);
    expect(first.bytes.subarray(8).equals(second.bytes.subarray(8))).toBe(false);
    expect(p.stats.requestsForwarded).toBe(0);
  });

  it('oversized-length: the answer is a header declaring 2 GiB and nothing more', async () => {
    const p = await startProxy({ mode: 'oversized-length' });
    const result = await exchange(await clientThrough(p), DISCOVER_VERSIONS_REQUEST, 1_000);
    expect(result.bytes).toEqual(OVERSIZED_RESPONSE_HEADER);
    expect(result.bytes.readUInt32BE(4)).toBe(2 ** 31);
    expect(p.stats.requestsForwarded).toBe(0);
  });

  it('idle-close closes a connection idle for idleCloseMs, not a busy one', async () => {
    const p = await startProxy({ mode: 'idle-close', idleCloseMs: 400 });
    const socket = await clientThrough(p);
    // Requests every 150 ms keep it open past the idle bound.
    for (let i = 0; i < 4; i++) {
      expect((await exchange(socket, DISCOVER_VERSIONS_REQUEST)).complete).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const idle = await exchange(socket, null, 2_000);
    expect(idle.closed).toBe(true);
    expect(idle.elapsedMs).toBeLessThan(1_000);
    expect(p.stats.faults['idle-close']).toBe(1);
  });

  it('setMode with times applies a fault once, then passes; a connection override wins', async () => {
    const p = await startProxy();
    p.setMode('drop-before-response', { times: 1 });
    expect((await exchange(await clientThrough(p), DISCOVER_VERSIONS_REQUEST)).closed).toBe(true);
    expect(p.mode).toBe('pass');
    const socket = await clientThrough(p);
    expect((await exchange(socket, DISCOVER_VERSIONS_REQUEST)).complete).toBe(true);
    const connection = p.connections.at(-1);
    if (!connection) throw new Error('no connection recorded');
    connection.mode = 'stall';
    expect((await exchange(socket, DISCOVER_VERSIONS_REQUEST, 800)).bytes.length).toBe(0);
    expect((await exchange(await clientThrough(p), DISCOVER_VERSIONS_REQUEST)).complete).toBe(true);
    expect(p.stats.requestsForwarded).toBe(4);
  });
});

describeWithServices('fault proxy: arming a fault after some requests', () => {
  it('afterRequests lets that many requests pass, then applies the fault', async () => {
    const p = await startProxy();
    const socket = await clientThrough(p);
    p.setMode('stall', { afterRequests: 2 });
    expect((await exchange(socket, DISCOVER_VERSIONS_REQUEST)).complete).toBe(true);
    expect((await exchange(socket, DISCOVER_VERSIONS_REQUEST)).complete).toBe(true);
    const third = await exchange(socket, DISCOVER_VERSIONS_REQUEST, 800);
    expect(third.bytes.length).toBe(0);
    expect(p.stats).toMatchObject({ requestsForwarded: 3, responsesForwarded: 2 });
    expect(p.stats.faults.stall).toBe(1);
  });
});

describeWithServices('fault proxy (TCP passthrough, TLS-record-level faults)', () => {
  it('pass keeps end-to-end mutual TLS with the server and counts application records', async () => {
    const services = requireServices();
    proxy = await FaultProxy.start({ upstreamHost: services.host, upstreamPort: services.port });
    const socket = await clientThrough(proxy);
    // The client sees PyKMIP's own certificate chain, not the proxy's.
    expect(socket.authorized).toBe(true);
    const result = await exchange(socket, DISCOVER_VERSIONS_REQUEST);
    expect(result.complete).toBe(true);
    expectSuccessResponse(result.bytes);
    expect(proxy.stats.requestsForwarded).toBe(1);
  });

  it('drop-before-response closes after the handshake without forwarding the response record', async () => {
    const services = requireServices();
    proxy = await FaultProxy.start({
      upstreamHost: services.host,
      upstreamPort: services.port,
      mode: 'drop-before-response',
    });
    const result = await exchange(await clientThrough(proxy), DISCOVER_VERSIONS_REQUEST);
    expect(result).toMatchObject({ complete: false, closed: true });
    expect(result.bytes.length).toBe(0);
  });
});
