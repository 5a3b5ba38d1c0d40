// A minimal KMIP/TLS responder for the benchmark: it answers every request with one fixed Get
// response, so a client's own cost per request shows (issue 2, point 7). The response is a Get of an
// AES-256 key captured from PyKMIP 0.10.0 (vector pykmip010-get-aes256-response, KMIP 1.2). Two
// patches: its Unique Identifier is set once at start to the one the benchmark gets (clients check
// that the answer names the requested object), and when a request carries a Unique Batch Item ID the
// response echoes it (found by a byte search, spliced in with two length fields adjusted), so
// pipelined requests can be matched. TLS 1.2 only, like PyKMIP's server, with a client
// certificate required.
//
// Standalone: npx tsx bench/fixed-get-responder.ts --cert F --key F --ca F [--uid U]   (prints {"port": n})
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FrameReader } from '../main/kmip/transport';
import { decodeTtlv, encodeTtlv, ItemType, Tag } from '../main/kmip/ttlv';
import type { TtlvItem } from '../main/kmip/ttlv';

export const FIXED_GET_RESPONSE = Buffer.from(
  '42007b010000011042007a0100000048420069010000002042006a0200000004000000010000000042006b020000000400000002000000004200920900000008000000006b0ac81f42000d0200000004000000010000000042000f01000000b842005c05000000040000000a0000000042007f0500000004000000000000000042007c0100000090420057050000000400000002000000004200940700000001320000000000000042008f01000000684200400100000060420042050000000400000001000000004200450100000028420043080000002040b7b8d3d4778499a9de51aa41911571be48d02c2071523d1418752f047d8a734200280500000004000000030000000042002a02000000040000010000000000',
  'hex',
);

/** FIXED_GET_RESPONSE naming `uniqueIdentifier` in its payload. */
export function fixedGetResponse(uniqueIdentifier: string): Buffer {
  const rename = (item: TtlvItem): TtlvItem => {
    if (item.type === ItemType.Structure) return { ...item, value: item.value.map(rename) };
    if (item.tag === Tag.UniqueIdentifier && item.type === ItemType.TextString) return { ...item, value: uniqueIdentifier };
    return item;
  };
  return encodeTtlv(rename(decodeTtlv(FIXED_GET_RESPONSE)));
}

const BATCH_ITEM_HEADER = Buffer.from('42000f01', 'hex');
const OPERATION_TAG = 0x42005c;
const BATCH_ID_HEADER = Buffer.from('42009308', 'hex');

/** Answers one request: the fixed response, with the request's Unique Batch Item ID echoed if it has one. */
export function responder(response: Buffer): (request: Buffer) => Buffer {
  const batchItem = response.indexOf(BATCH_ITEM_HEADER);
  if (batchItem < 0 || response.readUIntBE(batchItem + 8, 3) !== OPERATION_TAG) throw new Error('fixed response: no Batch Item starting with Operation');
  const insertAt = batchItem + 8 + 16; // after the Operation item
  return (request) => {
    const at = request.indexOf(BATCH_ID_HEADER);
    if (at < 0) return response;
    const length = request.readUInt32BE(at + 4);
    const idItem = request.subarray(at, at + 8 + Math.ceil(length / 8) * 8);
    const out = Buffer.concat([response.subarray(0, insertAt), idItem, response.subarray(insertAt)]);
    out.writeUInt32BE(out.readUInt32BE(4) + idItem.length, 4);
    out.writeUInt32BE(out.readUInt32BE(batchItem + 4) + idItem.length, batchItem + 4);
    return out;
  };
}

export interface FixedGetResponder {
  port: number;
  /** requests answered so far */
  answered(): number;
  close(): Promise<void>;
}

export async function startFixedGetResponder(tls: { cert: Buffer; key: Buffer; ca: Buffer }, uniqueIdentifier = '2'): Promise<FixedGetResponder> {
  const answer = responder(fixedGetResponse(uniqueIdentifier));
  let answered = 0;
  const sockets = new Set<import('node:tls').TLSSocket>();
  const server = createServer(
    { ...tls, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' },
    (socket) => {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      const reader = new FrameReader({ expectedTag: Tag.RequestMessage, maxMessageBytes: 1 << 20, peer: 'the benchmark client' });
      socket.on('data', (chunk: Buffer) => {
        let frames: Buffer[];
        try {
          frames = reader.push(chunk);
        } catch {
          socket.destroy();
          return;
        }
        for (const frame of frames) socket.write(answer(frame));
        answered += frames.length;
      });
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    answered: () => answered,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { cert: { type: 'string' }, key: { type: 'string' }, ca: { type: 'string' }, uid: { type: 'string' } } });
  if (!values.cert || !values.key || !values.ca) {
    console.error('usage: fixed-get-responder.ts --cert server.pem --key server.key --ca ca.pem');
    process.exit(2);
  }
  const identity = { cert: readFileSync(values.cert), key: readFileSync(values.key), ca: readFileSync(values.ca) };
  const responder = await startFixedGetResponder(identity, values.uid);
  console.log(JSON.stringify({ port: responder.port }));
  const stop = (): void => void responder.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
