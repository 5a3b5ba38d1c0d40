import { setTimeout as delay } from 'node:timers/promises';
import { TLSSocket } from 'node:tls';
import { describe, expect, it, vi } from 'vitest';
import { FrameReader } from '../../../main/kmip/transport';
import { MAX_RESPONSE_SPIN_MICROS, ResponseSpin } from '../../../main/kmip/transport/response-spin';
import { encodeTtlv, Tag } from '../../../main/kmip/ttlv';
import { useLocalKmipServers } from '../../support/local-kmip-servers';
import { batchIdsOf, getRequest, rejectionOf, responseFor, startSilentTcpServer, uidOf } from '../../support/transport-fixtures';

const { server, connection, closeAfterTest } = useLocalKmipServers();


describe('KmipConnection round trips', () => {
  it('sends a request and returns the decoded response, with the TLS session described', async () => {
    const srv = await server();
    const conn = connection(srv.port);
    const info = await conn.open();
    expect(info.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(info.authorized).toBe(true);
    expect(info.hostnameCheck).toBe('passed');
    expect(info.pin).toBe('not-configured');
    expect(info.peerCertificate?.subject).toContain('CN=localhost');
    expect(info.chain.length).toBeGreaterThanOrEqual(1);
    const response = await conn.roundTrip(getRequest('42'), { idempotent: true });
    expect(uidOf(response)).toBe('42');
    expect(srv.requests).toHaveLength(1);
  });

  it('zeroes the request bytes once the socket took them, and each response message once decoded', async () => {
    // Each response in two TLS records 20 ms apart: the client reassembles it from two reads.
    const srv = await server((request, c) => {
      const bytes = encodeTtlv(responseFor(request));
      c.socket.write(bytes.subarray(0, 100));
      setTimeout(() => c.socket.write(bytes.subarray(100)), 20);
    });
    const conn = connection(srv.port);
    await conn.open();
    /** Buffers that started with the given tag when they were seen (the fake server's own traffic has the other tag). */
    const seen = { requests: [] as Buffer[], responses: [] as Buffer[] };
    const startsWith = (bytes: Buffer, tag: number): boolean => bytes.length >= 3 && bytes.readUIntBE(0, 3) === tag;
    const write = TLSSocket.prototype.write;
    const push = FrameReader.prototype.push;
    vi.spyOn(TLSSocket.prototype, 'write').mockImplementation(function (this: TLSSocket, ...args: unknown[]) {
      if (Buffer.isBuffer(args[0]) && startsWith(args[0], Tag.RequestMessage)) seen.requests.push(args[0]);
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    });
    vi.spyOn(FrameReader.prototype, 'push').mockImplementation(function (this: FrameReader, chunk: Buffer) {
      const frames = push.call(this, chunk);
      seen.responses.push(...frames.filter((frame) => startsWith(frame, Tag.ResponseMessage)));
      return frames;
    });
    try {
      for (const uid of ['a', 'b', 'c']) expect(uidOf(await conn.roundTrip(getRequest(uid), { idempotent: true }))).toBe(uid);
      await new Promise(setImmediate); // write callbacks run after the write is handed to the TLS layer
    } finally {
      vi.restoreAllMocks();
    }
    expect(seen.requests).toHaveLength(3);
    expect(seen.responses).toHaveLength(3);
    for (const bytes of [...seen.requests, ...seen.responses]) expect(bytes.every((byte) => byte === 0)).toBe(true);
    expect(srv.requests.map(uidOf)).toEqual(['a', 'b', 'c']);
  });

  it('tells its response spin when each request was written and how long its answer took', async () => {
    const srv = await server((request, c) => setTimeout(() => c.socket.write(encodeTtlv(responseFor(request))), 30));
    const conn = connection(srv.port, { responseSpinMicros: 100 });
    await conn.open();
    const sent = vi.spyOn(ResponseSpin.prototype, 'sent');
    const answered = vi.spyOn(ResponseSpin.prototype, 'answered');
    const elapsed: number[] = [];
    try {
      for (const uid of ['slow-1', 'slow-2']) {
        const started = performance.now();
        expect(uidOf(await conn.roundTrip(getRequest(uid), { idempotent: true }))).toBe(uid);
        elapsed.push(performance.now() - started);
      }
    } finally {
      vi.restoreAllMocks();
    }
    expect(sent).toHaveBeenCalledTimes(2);
    expect(answered).toHaveBeenCalledTimes(2);
    answered.mock.calls.forEach(([roundTripMs], i) => {
      // Timers may fire up to 1 ms early against performance.now().
      expect(roundTripMs).toBeGreaterThanOrEqual(28);
      expect(roundTripMs).toBeLessThanOrEqual(elapsed[i] as number);
    });
  });

  /** A fake server answering each request after 3 ms, and a counter of setImmediate calls around one round trip to it. */
  async function immediatesAroundRoundTrip() {
    const srv = await server((request, c) => setTimeout(() => c.socket.write(encodeTtlv(responseFor(request))), 3));
    /** setImmediate calls during one round trip, and during 30 ms after it */
    return async (options: { responseSpinMicros?: number }): Promise<{ during: number; after: number }> => {
      const conn = connection(srv.port, options);
      await conn.open();
      const immediates = vi.spyOn(globalThis, 'setImmediate');
      try {
        await conn.roundTrip(getRequest('spin'), { idempotent: true });
        const during = immediates.mock.calls.length;
        await delay(30);
        return { during, after: immediates.mock.calls.length - during };
      } finally {
        immediates.mockRestore();
      }
    };
  }

  it('spins for an answer as responseSpinMicros says, and not once the answer is in', async () => {
    const immediatesAround = await immediatesAroundRoundTrip();
    // A 10 ms budget covers the 3 ms answer: the loop turns over until it arrives, then stops. A loaded
    // machine may hold this process off the CPU for the whole budget, so the spinning case is retried.
    let spinning = { during: 0, after: 0 };
    await expect.poll(async () => (spinning = await immediatesAround({ responseSpinMicros: MAX_RESPONSE_SPIN_MICROS })).during, { timeout: 20_000 }).toBeGreaterThan(50);
    expect(spinning.after).toBe(0);
    expect((await immediatesAround({ responseSpinMicros: 0 })).during).toBe(0);
  });

  it('without the option, spins under Node and not under Electron', async () => {
    const immediatesAround = await immediatesAroundRoundTrip();
    expect((await immediatesAround({})).during).toBeGreaterThan(0);
    Object.defineProperty(process.versions, 'electron', { value: '39.0.0', configurable: true });
    try {
      expect((await immediatesAround({})).during).toBe(0);
    } finally {
      Reflect.deleteProperty(process.versions, 'electron');
    }
  });

  it('refuses a responseSpinMicros that is not between 0 and MAX_RESPONSE_SPIN_MICROS', () => {
    for (const responseSpinMicros of [Infinity, Number.NaN, -1, MAX_RESPONSE_SPIN_MICROS + 1]) {
      expect(() => connection(1, { responseSpinMicros })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('responseSpinMicros') }));
    }
    for (const responseSpinMicros of [0, MAX_RESPONSE_SPIN_MICROS]) expect(() => connection(1, { responseSpinMicros })).not.toThrow();
  });

  it('delivers a response written in 1-byte TLS records', async () => {
    const srv = await server((request, c) => {
      const bytes = encodeTtlv(responseFor(request));
      c.socket.setNoDelay(true);
      let i = 0;
      const tick = (): void => {
        if (i >= bytes.length || c.socket.destroyed) return;
        c.socket.write(bytes.subarray(i, i + 1));
        i += 1;
        setImmediate(tick);
      };
      tick();
    });
    const conn = connection(srv.port);
    await conn.open();
    expect(uidOf(await conn.roundTrip(getRequest('tiny-chunks'), { idempotent: true }))).toBe('tiny-chunks');
  });

  it('Nbio 0: keeps one request in flight and answers each caller with its own response, in order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const srv = await server((request, c) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        c.answer(request);
      }, 5);
    });
    const conn = connection(srv.port);
    await conn.open();
    const uids = ['a', 'b', 'c', 'd', 'e'];
    const responses = await Promise.all(uids.map((uid) => conn.roundTrip(getRequest(uid), { idempotent: true })));
    expect(responses.map(uidOf)).toEqual(uids);
    expect(srv.requests.map(uidOf)).toEqual(uids);
    expect(maxInFlight).toBe(1);
    // Nbio 0 sends the request untouched: no IDs added.
    expect(srv.requests.flatMap(batchIdsOf)).toEqual(['none', 'none', 'none', 'none', 'none']);
  });

  it('Nbio 1: pipelines requests and matches out-of-order responses by Unique Batch Item ID', async () => {
    const held: Array<() => void> = [];
    const srv = await server((request, c) => {
      held.push(() => c.answer(request));
      if (held.length === 4) for (const answer of held.reverse()) answer(); // answer last-first
    });
    const conn = connection(srv.port, { pipelined: true });
    await conn.open();
    const callerIds = [Buffer.from('caller-1'), null, Buffer.from('caller-3'), null];
    const requests = callerIds.map((id, i) => getRequest(`uid-${i}`, [id]));
    const responses = await Promise.all(requests.map((request) => conn.roundTrip(request, { idempotent: true })));
    expect(responses.map(uidOf)).toEqual(['uid-0', 'uid-1', 'uid-2', 'uid-3']);
    // On the wire every item carried a distinct transport ID; the caller gets its own IDs back.
    const wireIds = srv.requests.flatMap(batchIdsOf);
    expect(new Set(wireIds).size).toBe(4);
    expect(wireIds).not.toContain('none');
    expect(responses.map(batchIdsOf)).toEqual([
      [Buffer.from('caller-1').toString('hex')],
      ['none'],
      [Buffer.from('caller-3').toString('hex')],
      ['none'],
    ]);
  });

  it('Nbio 1: a multi-item batch keeps the caller IDs of each item', async () => {
    const srv = await server();
    const conn = connection(srv.port, { pipelined: true });
    const ids = [Buffer.from([1]), Buffer.from([2]), Buffer.from([3])];
    const response = await conn.roundTrip(getRequest('batch', ids), { idempotent: true });
    expect(batchIdsOf(response)).toEqual(['01', '02', '03']);
  });

  it('Nbio 1: a response with an unknown Unique Batch Item ID is MALFORMED_RESPONSE', async () => {
    const srv = await server((request, c) => {
      c.answer(getRequest('forged', [Buffer.from('not-yours')]));
      void request;
    });
    const conn = connection(srv.port, { pipelined: true });
    const error = await rejectionOf(conn.roundTrip(getRequest('x'), { idempotent: true }));
    expect(error.code).toBe('MALFORMED_RESPONSE');
    expect(error.message).toContain(Buffer.from('not-yours').toString('hex'));
  });
});

describe('KmipConnection timeouts', () => {
  it('a server that never answers → REQUEST_TIMEOUT within Timeout + 1 s', async () => {
    const srv = await server(() => undefined);
    const conn = connection(srv.port, { timeoutMs: 800 });
    await conn.open();
    const started = performance.now();
    const error = await rejectionOf(conn.roundTrip(getRequest('stall'), { idempotent: true }));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('REQUEST_TIMEOUT');
    expect(error.field).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(750);
    expect(elapsed).toBeLessThan(1800);
    expect(srv.requests).toHaveLength(1); // a timed-out request is not re-sent
  });

  it('each request gets its whole Timeout, however long after an earlier answered one it is sent', async () => {
    let calls = 0;
    const srv = await server((request, c) => {
      calls += 1;
      if (calls === 1) c.answer(request); // the second request is never answered
    });
    const conn = connection(srv.port, { timeoutMs: 800 });
    await conn.open();
    await conn.roundTrip(getRequest('quick'), { idempotent: true });
    await delay(500); // the first request's deadline passes while the second one is in flight
    const started = performance.now();
    const error = await rejectionOf(conn.roundTrip(getRequest('stall'), { idempotent: true }));
    expect(error.code).toBe('REQUEST_TIMEOUT');
    expect(performance.now() - started).toBeGreaterThanOrEqual(750);
  });

  it('Nbio 1: requests in flight time out each at its own deadline, and an answered one is unaffected', async () => {
    const srv = await server((request, c) => {
      if (uidOf(request) === 'answered') setTimeout(() => c.answer(request), 300);
    });
    const conn = connection(srv.port, { timeoutMs: 600, pipelined: true });
    await conn.open();
    const started = performance.now();
    const first = rejectionOf(conn.roundTrip(getRequest('stall-1'), { idempotent: true })).then((error) => ({ error, at: performance.now() - started }));
    await delay(250);
    const second = rejectionOf(conn.roundTrip(getRequest('stall-2'), { idempotent: true })).then((error) => ({ error, at: performance.now() - started }));
    expect(uidOf(await conn.roundTrip(getRequest('answered'), { idempotent: true }))).toBe('answered');
    const [one, two] = await Promise.all([first, second]);
    expect([one.error.code, two.error.code]).toEqual(['REQUEST_TIMEOUT', 'REQUEST_TIMEOUT']);
    expect(one.at).toBeGreaterThanOrEqual(550);
    expect(one.at).toBeLessThan(800);
    expect(two.at).toBeGreaterThanOrEqual(800);
  });

  it('a server that stops in the middle of a response → REQUEST_TIMEOUT within Timeout + 1 s', async () => {
    const srv = await server((request, c) => {
      const bytes = encodeTtlv(responseFor(request));
      c.socket.write(bytes.subarray(0, 20));
    });
    const conn = connection(srv.port, { timeoutMs: 600 });
    const started = performance.now();
    const error = await rejectionOf(conn.roundTrip(getRequest('half'), { idempotent: true }));
    expect(error.code).toBe('REQUEST_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(1600);
  });

  it('a TCP server that never completes TLS → CONNECT_TIMEOUT within Timeout + 1 s', async () => {
    const silent = closeAfterTest(await startSilentTcpServer());
    const conn = connection(silent.port, { timeoutMs: 700 });
    const started = performance.now();
    const error = await rejectionOf(conn.open());
    expect(error.code).toBe('CONNECT_TIMEOUT');
    expect(error.message).toContain('TLS handshake');
    expect(performance.now() - started).toBeLessThan(1700);
  });

  it('Nbio 0: after a timeout the connection is replaced, so a late answer cannot be taken for the next request', async () => {
    let calls = 0;
    const srv = await server((request, c) => {
      calls += 1;
      if (calls === 1) setTimeout(() => c.answer(request), 700); // late
      else c.answer(request);
    });
    const conn = connection(srv.port, { timeoutMs: 400 });
    await conn.open();
    expect((await rejectionOf(conn.roundTrip(getRequest('slow'), { idempotent: true }))).code).toBe('REQUEST_TIMEOUT');
    await delay(400);
    expect(uidOf(await conn.roundTrip(getRequest('next'), { idempotent: true }))).toBe('next');
    expect(srv.connections).toHaveLength(2);
  });
});

describe('KmipConnection drops and Auto-Reconnect', () => {
  it('an idempotent request whose connection drops before any response byte is retried once and succeeds', async () => {
    let seen = 0;
    const srv = await server((request, c) => {
      seen += 1;
      if (seen === 1) c.socket.destroy();
      else c.answer(request);
    });
    const conn = connection(srv.port, { autoReconnect: true });
    await conn.open();
    expect(uidOf(await conn.roundTrip(getRequest('get-me'), { idempotent: true }))).toBe('get-me');
    expect(srv.requests.map(uidOf)).toEqual(['get-me', 'get-me']);
    expect(srv.connections).toHaveLength(2);
  });

  it('an idempotent request is retried only once', async () => {
    const srv = await server((_request, c) => c.socket.destroy());
    const conn = connection(srv.port, { autoReconnect: true });
    const error = await rejectionOf(conn.roundTrip(getRequest('doomed'), { idempotent: true }));
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect(error.message).toContain('retry');
    expect(srv.requests).toHaveLength(2);
  });

  it('a non-idempotent request is never re-sent: CONNECTION_CLOSED says the outcome is unknown', async () => {
    const srv = await server((_request, c) => c.socket.destroy());
    const conn = connection(srv.port, { autoReconnect: true });
    await conn.open();
    const error = await rejectionOf(conn.roundTrip(getRequest('register-me'), { idempotent: false }));
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect(error.message).toMatch(/outcome is unknown/);
    expect(error.message).toContain('Locate');
    await delay(100);
    expect(srv.requests).toHaveLength(1);
  });

  it('Nbio 1: drops are retried the same way', async () => {
    let seen = 0;
    const srv = await server((request, c) => {
      seen += 1;
      if (seen === 1) c.socket.destroy();
      else c.answer(request);
    });
    const conn = connection(srv.port, { pipelined: true });
    expect(uidOf(await conn.roundTrip(getRequest('p'), { idempotent: true }))).toBe('p');
    expect(srv.requests).toHaveLength(2);
  });

  it('an idle-closed connection is re-opened transparently on the next request', async () => {
    const srv = await server();
    const conn = connection(srv.port, { autoReconnect: true });
    await conn.open();
    expect(uidOf(await conn.roundTrip(getRequest('1'), { idempotent: false }))).toBe('1');
    srv.connections[0]?.socket.end(); // the server's idle timeout
    await delay(100);
    expect(uidOf(await conn.roundTrip(getRequest('2'), { idempotent: false }))).toBe('2');
    expect(srv.connections).toHaveLength(2);
    expect(srv.requests.map(uidOf)).toEqual(['1', '2']);
  });

  it('without Auto-Reconnect a closed connection is CONNECTION_CLOSED and nothing is sent', async () => {
    const srv = await server();
    const conn = connection(srv.port, { autoReconnect: false });
    await conn.open();
    await delay(50);
    srv.connections[0]?.socket.end();
    await delay(100);
    const error = await rejectionOf(conn.roundTrip(getRequest('x'), { idempotent: true }));
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect(error.message).toContain('Auto-Reconnect');
    expect(srv.requests).toHaveLength(0);
  });

  it('without Auto-Reconnect a drop before the response is not retried', async () => {
    const srv = await server((_request, c) => c.socket.destroy());
    const conn = connection(srv.port, { autoReconnect: false });
    await conn.open();
    const error = await rejectionOf(conn.roundTrip(getRequest('x'), { idempotent: true }));
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect(srv.requests).toHaveLength(1);
  });
});

describe('KmipConnection against hostile responses', () => {
  it('garbage instead of a response → MALFORMED_RESPONSE', async () => {
    const srv = await server((_request, c) => c.socket.write('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const conn = connection(srv.port);
    expect((await rejectionOf(conn.roundTrip(getRequest('x'), { idempotent: true }))).code).toBe('MALFORMED_RESPONSE');
    expect(srv.requests).toHaveLength(1); // not retried
  });

  it('a well-framed response that is not valid TTLV → MALFORMED_RESPONSE naming the offset', async () => {
    const srv = await server((_request, c) => c.socket.write(Buffer.from('42007b01000000084200770900000008', 'hex')));
    const conn = connection(srv.port);
    const error = await rejectionOf(conn.roundTrip(getRequest('x'), { idempotent: true }));
    expect(error.code).toBe('MALFORMED_RESPONSE');
    expect(error.message).toMatch(/byte \d+/);
  });

  it('a 2 GiB length field → MESSAGE_TOO_LARGE at once, without waiting or allocating', async () => {
    const srv = await server((_request, c) => c.socket.write(Buffer.from('42007b0180000000', 'hex')));
    const conn = connection(srv.port, { timeoutMs: 10_000 });
    await conn.open();
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    const error = await rejectionOf(conn.roundTrip(getRequest('x'), { idempotent: true }));
    expect(error.code).toBe('MESSAGE_TOO_LARGE');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('a server that closes in the middle of a response → CONNECTION_CLOSED, not retried', async () => {
    const srv = await server((request, c) => {
      const bytes = encodeTtlv(responseFor(request));
      c.socket.end(bytes.subarray(0, 30));
    });
    const conn = connection(srv.port, { autoReconnect: true });
    const error = await rejectionOf(conn.roundTrip(getRequest('x'), { idempotent: true }));
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect(error.message).toContain('middle of a response');
    expect(srv.requests).toHaveLength(1);
  });

  it('no unhandled rejection or error event escapes when the server kills every connection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const srv = await server((_request, c) => c.socket.destroy());
      const conn = connection(srv.port, { pipelined: true, timeoutMs: 1000 });
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => conn.roundTrip(getRequest(String(i)), { idempotent: i % 2 === 0 })),
      );
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      await conn.close();
      await delay(50);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });
});

describe('KmipConnection close', () => {
  it('closes cleanly: the server sees the end of the stream, and later requests are refused', async () => {
    const srv = await server();
    const conn = connection(srv.port);
    await conn.open();
    await delay(50);
    const ended = new Promise<void>((resolve) => srv.connections[0]?.socket.once('end', () => resolve()));
    const started = performance.now();
    await conn.close();
    await ended;
    expect(performance.now() - started).toBeLessThan(2500);
    expect((await rejectionOf(conn.roundTrip(getRequest('late'), { idempotent: true }))).code).toBe('CONNECTION_CLOSED');
  });

  it('close() while the TLS handshake waits on a silent server (Timeout 0) ends the attempt at once', async () => {
    const silent = closeAfterTest(await startSilentTcpServer());
    const conn = connection(silent.port, { timeoutMs: 0 });
    const opening = rejectionOf(conn.open());
    await delay(100);
    const started = performance.now();
    await conn.close();
    const error = await opening;
    expect(performance.now() - started).toBeLessThan(500);
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect(error.message).toContain('closed by this client while it was opening');
  });

  it('close() with a request in flight rejects it with CONNECTION_CLOSED', async () => {
    const srv = await server(() => undefined);
    const conn = connection(srv.port, { timeoutMs: 0 });
    await conn.open();
    const pending = rejectionOf(conn.roundTrip(getRequest('x'), { idempotent: true }));
    await delay(50);
    await conn.close();
    expect((await pending).code).toBe('CONNECTION_CLOSED');
  });
});
