// A bare TLS client for tests that must see bytes and socket events below the KMIP client:
// connect, send one request, collect what comes back until a whole TTLV message, a close or a wait.
import { readFileSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';
import type { TestServices } from './services';

// KMIP 1.1 Discover Versions with an empty payload (shared vector nlnetlabs-tc161-discover-versions-empty-request).
export const DISCOVER_VERSIONS_REQUEST = Buffer.from(
  '42007801000000604200770100000038420069010000002042006a0200000004000000010000000042006b02000000040000000100000000' +
    '42000d0200000004000000010000000042000f010000001842005c05000000040000001e000000004200790100000000',
  'hex',
);
export const RESPONSE_MESSAGE_TAG = Buffer.from('42007b01', 'hex');
export const RESULT_STATUS_SUCCESS = Buffer.from('42007f05000000040000000000000000', 'hex');

export interface RawTlsOutcome {
  socket?: TLSSocket;
  error?: Error & { code?: string };
}

/** Connects with the run's CA and, when given, a client certificate and key (file paths). */
export function rawTlsConnect(
  services: TestServices,
  target: { host: string; port: number },
  identity: { cert?: string; key?: string } = {},
): Promise<RawTlsOutcome> {
  return new Promise((resolve) => {
    const socket = connect({
      host: target.host,
      port: target.port,
      ca: readFileSync(services.pki.caCert),
      cert: identity.cert ? readFileSync(identity.cert) : undefined,
      key: identity.key ? readFileSync(identity.key) : undefined,
      minVersion: 'TLSv1.2',
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error('timed out')));
    socket.once('error', (error) => resolve({ error }));
    socket.once('secureConnect', () => resolve({ socket }));
  });
}

export interface Exchange {
  bytes: Buffer;
  /** A whole TTLV message (8-byte header + declared length) arrived. */
  complete: boolean;
  /** The peer closed (or reset) the connection before a whole message arrived. */
  closed: boolean;
  elapsedMs: number;
}

/** Writes `request` (unless null) and waits up to `waitMs` for one whole message or a close. */
export function exchange(socket: TLSSocket, request: Buffer | null, waitMs = 5_000): Promise<Exchange> {
  const started = Date.now();
  return new Promise((resolve) => {
    let bytes = Buffer.alloc(0);
    const finish = (complete: boolean, closed: boolean) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve({ bytes, complete, closed, elapsedMs: Date.now() - started });
    };
    const onData = (chunk: Buffer) => {
      bytes = Buffer.concat([bytes, chunk]);
      if (bytes.length >= 8 && bytes.length >= 8 + bytes.readUInt32BE(4)) finish(true, false);
    };
    const onClose = () => finish(false, true);
    const timer = setTimeout(() => finish(false, false), waitMs);
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.on('error', () => undefined);
    if (request) socket.write(request);
  });
}
