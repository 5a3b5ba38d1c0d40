// Test PKI (generated with openssl into a scratch folder of the test file) and small fake KMIP/TLS
// servers, for tests of the transport and of what runs over it (unit, integration and e2e). They need no
// external services.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server as TcpServer, Socket } from 'node:net';
import { join } from 'node:path';
import { createServer } from 'node:tls';
import type { TLSSocket, TlsOptions } from 'node:tls';
import { decodeTtlv, encodeTtlv, ItemType, Tag } from '../../main/kmip/ttlv';
import type { TtlvItem } from '../../main/kmip/ttlv';
import { FrameReader, TransportError } from '../../main/kmip/transport';
import type { ConnectionOptions } from '../../main/kmip/transport';
import { scratchDir } from './scratch-dirs';

/** A Get response captured from the PyKMIP 0.10.0 server (vector pykmip010-get-aes256-response): AES-256 key, Raw. */
export const GET_AES256_RESPONSE = Buffer.from(
  '42007b010000011042007a0100000048420069010000002042006a0200000004000000010000000042006b020000000400000002000000004200920900000008000000006b0ac81f42000d0200000004000000010000000042000f01000000b842005c05000000040000000a0000000042007f0500000004000000000000000042007c0100000090420057050000000400000002000000004200940700000001320000000000000042008f01000000684200400100000060420042050000000400000001000000004200450100000028420043080000002040b7b8d3d4778499a9de51aa41911571be48d02c2071523d1418752f047d8a734200280500000004000000030000000042002a02000000040000010000000000',
  'hex',
);

export const KEY_PASSWORD = 'test-key-Pa55phrase';

export interface TestPki {
  dir: string;
  ca: Buffer;
  serverCert: Buffer;
  serverKey: Buffer;
  wrongHostCert: Buffer;
  wrongHostKey: Buffer;
  /** self-signed, same names as serverCert, not issued by ca */
  otherCert: Buffer;
  otherKey: Buffer;
  /** issued by ca, valid 2020-01-01 .. 2021-01-01 */
  expiredCert: Buffer;
  expiredKey: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
  clientKeyEncrypted: Buffer;
  clientP12: Buffer;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA, server certs (right and wrong names, and a self-signed impostor) and a client identity. */
export function generatePki(): TestPki {
  const dir = scratchDir('kmip-transport-pki-');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Transport Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const issue = (name: string, subject: string, extensions: string): void => {
    writeFileSync(join(dir, `${name}.ext`), extensions);
    openssl(dir, ['req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
  };
  issue('server', '/CN=localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue('wronghost', '/CN=wrong.example', 'subjectAltName=DNS:wrong.example\nextendedKeyUsage=serverAuth\n');
  issue('client', '/CN=transport-client', 'extendedKeyUsage=clientAuth\n');
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'other.key', '-out', 'other.pem', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
  // openssl 3.0 has no `x509 -not_before`: `openssl ca` takes explicit dates.
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca = test\n[test]\ndir = ${dir}\ndatabase = ${dir}/index.txt\nnew_certs_dir = ${dir}\nserial = ${dir}/serial\n` +
      `certificate = ${dir}/ca.pem\nprivate_key = ${dir}/ca.key\ndefault_md = sha256\npolicy = anything\n[anything]\ncommonName = supplied\n`,
  );
  writeFileSync(join(dir, 'expired.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(dir, ['req', '-new', ...ec, '-keyout', 'expired.key', '-out', 'expired.csr', '-subj', '/CN=localhost']);
  openssl(dir, ['ca', '-batch', '-notext', '-config', 'ca.cnf', '-in', 'expired.csr', '-out', 'expired.pem',
    '-startdate', '20200101000000Z', '-enddate', '20210101000000Z', '-extfile', 'expired.ext']);
  writeFileSync(join(dir, 'pass.txt'), KEY_PASSWORD);
  openssl(dir, ['pkey', '-in', 'client.key', '-out', 'client-encrypted.key', '-aes256', '-passout', 'file:pass.txt']);
  openssl(dir, ['pkcs12', '-export', '-in', 'client.pem', '-inkey', 'client.key', '-out', 'client.p12', '-passout', 'file:pass.txt']);
  const read = (file: string): Buffer => readFileSync(join(dir, file));
  return {
    dir,
    ca: read('ca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server.key'),
    wrongHostCert: read('wronghost.pem'),
    wrongHostKey: read('wronghost.key'),
    otherCert: read('other.pem'),
    otherKey: read('other.key'),
    expiredCert: read('expired.pem'),
    expiredKey: read('expired.key'),
    clientCert: read('client.pem'),
    clientKey: read('client.key'),
    clientKeyEncrypted: read('client-encrypted.key'),
    clientP12: read('client.p12'),
  };
}

// ---- KMIP messages -------------------------------------------------------------------------

const int = (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Integer, value });
const enumeration = (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Enumeration, value });
const struct = (tag: number, value: TtlvItem[]): TtlvItem => ({ tag, type: ItemType.Structure, value });
const text = (tag: number, value: string): TtlvItem => ({ tag, type: ItemType.TextString, value });

function protocolVersion(): TtlvItem {
  return struct(Tag.ProtocolVersion, [int(Tag.ProtocolVersionMajor, 1), int(Tag.ProtocolVersionMinor, 2)]);
}

/** A Get request for `uid`; `batchIds` gives each batch item's Unique Batch Item ID (none when omitted). */
export function getRequest(uid: string, batchIds: (Uint8Array | null)[] = [null]): TtlvItem {
  return struct(Tag.RequestMessage, [
    struct(Tag.RequestHeader, [protocolVersion(), int(Tag.BatchCount, batchIds.length)]),
    ...batchIds.map((id) =>
      struct(Tag.BatchItem, [
        enumeration(Tag.Operation, 0x0a),
        ...(id ? [{ tag: Tag.UniqueBatchItemID, type: ItemType.ByteString, value: id } as TtlvItem] : []),
        struct(Tag.RequestPayload, [text(Tag.UniqueIdentifier, uid)]),
      ]),
    ),
  ]);
}

/** A Success response echoing each batch item's ID and the requested Unique Identifier. */
export function responseFor(request: TtlvItem): TtlvItem {
  const items = request.type === ItemType.Structure ? request.value.filter((item) => item.tag === Tag.BatchItem) : [];
  return struct(Tag.ResponseMessage, [
    struct(Tag.ResponseHeader, [
      protocolVersion(),
      { tag: Tag.TimeStamp, type: ItemType.DateTime, value: BigInt(Math.floor(Date.now() / 1000)) },
      int(Tag.BatchCount, items.length),
    ]),
    ...items.map((item) => {
      const fields = item.type === ItemType.Structure ? item.value : [];
      const keep = fields.filter((field) => field.tag === Tag.Operation || field.tag === Tag.UniqueBatchItemID);
      const payload = fields.find((field) => field.tag === Tag.RequestPayload);
      const uid = payload?.type === ItemType.Structure ? payload.value.find((field) => field.tag === Tag.UniqueIdentifier) : undefined;
      return struct(Tag.BatchItem, [
        ...keep,
        enumeration(Tag.ResultStatus, 0),
        struct(Tag.ResponsePayload, uid ? [uid] : []),
      ]);
    }),
  ]);
}

/** The Unique Identifier text of the first batch item's payload of a request or response. */
export function uidOf(message: TtlvItem): string | undefined {
  if (message.type !== ItemType.Structure) return undefined;
  const item = message.value.find((child) => child.tag === Tag.BatchItem);
  if (item?.type !== ItemType.Structure) return undefined;
  const payload = item.value.find((child) => child.tag === Tag.RequestPayload || child.tag === Tag.ResponsePayload);
  if (payload?.type !== ItemType.Structure) return undefined;
  const uid = payload.value.find((child) => child.tag === Tag.UniqueIdentifier);
  return uid?.type === ItemType.TextString ? uid.value : undefined;
}

/** Every Unique Batch Item ID (hex) in a message's batch items, or 'none' for an item without one. */
export function batchIdsOf(message: TtlvItem): string[] {
  if (message.type !== ItemType.Structure) return [];
  return message.value
    .filter((child) => child.tag === Tag.BatchItem && child.type === ItemType.Structure)
    .map((child) => {
      const id = (child.value as TtlvItem[]).find((field) => field.tag === Tag.UniqueBatchItemID);
      return id?.type === ItemType.ByteString ? Buffer.from(id.value).toString('hex') : 'none';
    });
}

// ---- fake servers --------------------------------------------------------------------------

export interface ServerConnection {
  socket: TLSSocket;
  /** Requests received on this connection, decoded. */
  requests: TtlvItem[];
  /** Sends the normal answer to a request. */
  answer(request: TtlvItem): void;
}

export type RequestHandler = (request: TtlvItem, connection: ServerConnection) => void;

export interface FakeServer {
  port: number;
  /** every request received, over all connections */
  requests: TtlvItem[];
  connections: ServerConnection[];
  close(): Promise<void>;
}

/**
 * A TLS server that frames KMIP requests and passes each to `onRequest` (default: answer at once).
 * `tlsOptions` override the default identity (pki.serverCert/serverKey).
 */
export async function startKmipServer(
  pki: TestPki,
  onRequest?: RequestHandler,
  tlsOptions: TlsOptions = {},
  listenHost = '127.0.0.1',
): Promise<FakeServer> {
  const requests: TtlvItem[] = [];
  const connections: ServerConnection[] = [];
  const sockets = new Set<TLSSocket>();
  const server = createServer({ cert: pki.serverCert, key: pki.serverKey, ...tlsOptions }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const connection: ServerConnection = {
      socket,
      requests: [],
      answer: (request) => {
        if (!socket.destroyed) socket.write(encodeTtlv(responseFor(request)));
      },
    };
    connections.push(connection);
    const reader = new FrameReader({ expectedTag: Tag.RequestMessage, maxMessageBytes: 1 << 20, peer: 'the test client' });
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) {
        const request = decodeTtlv(frame);
        requests.push(request);
        connection.requests.push(request);
        (onRequest ?? ((req, conn) => conn.answer(req)))(request, connection);
      }
    });
  });
  server.on('tlsClientError', () => undefined);
  // Every TCP connection, also one that never completes a handshake (a half-open one would keep close() waiting).
  const tcpSockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    tcpSockets.add(socket);
    socket.once('close', () => tcpSockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of [...sockets, ...tcpSockets]) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A TCP server that accepts connections and never says a word (no TLS handshake); it counts the
 * connections it accepted and those still open.
 */
export async function startSilentTcpServer(): Promise<{ port: number; accepted(): number; open(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: TcpServer = createTcpServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.resume(); // a socket that is read from sees the peer's close
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Connection options for a fake server on loopback, verified against the test CA. */
export function optionsFor(pki: TestPki, port: number, overrides: Partial<ConnectionOptions> = {}): ConnectionOptions {
  return {
    host: '127.0.0.1',
    port,
    timeoutMs: 5000,
    verify: true,
    pipelined: false,
    autoReconnect: true,
    tls: { caCerts: pki.ca },
    ...overrides,
  };
}

/** Resolves with the rejection of `promise` (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<TransportError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof TransportError) return err;
    throw err;
  }
  throw new Error('expected a TransportError, but the promise resolved');
}
