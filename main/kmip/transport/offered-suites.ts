// Which cipher suites this client really offers with a cipher list. OpenSSL accepts a list whose
// suites it then leaves out of every handshake (NULL-SHA is disabled at security level 1 and up),
// and nothing short of a handshake shows it: so the ClientHello is produced in memory, over a
// stream that goes nowhere, and its cipher_suites field is read.
import { Duplex } from 'node:stream';
import { connect } from 'node:tls';
import { createClientSecureContext } from './tls-socket';

/** TLS 1.3 suites are 0x13xx; these two are signalling values, not suites (RFC 5746, RFC 7507). */
const NOT_A_SUITE = new Set([0x00ff, 0x5600]);
const FIRST_WRITE_MS = 2000;

/** The cipher_suites of a ClientHello record (TLS 1.2 layout), or null when `record` is not one. */
function clientHelloSuites(record: Buffer): number[] | null {
  // record header (5): type 22 = handshake; handshake header (4): type 1 = ClientHello
  if (record.length < 5 + 4 + 2 + 32 + 1 || record[0] !== 22 || record[5] !== 1) return null;
  let at = 5 + 4 + 2 + 32;
  at += 1 + record[at]!; // legacy session id
  if (at + 2 > record.length) return null;
  const length = record.readUInt16BE(at);
  at += 2;
  if (length % 2 !== 0 || at + length > record.length) return null;
  const suites: number[] = [];
  for (let i = 0; i < length; i += 2) suites.push(record.readUInt16BE(at + i));
  return suites;
}

/**
 * The TLS 1.2 (and older) cipher suites a handshake with `ciphers` would offer, as IANA numbers;
 * null when the ClientHello could not be produced or read (nothing can be concluded then).
 * Throws the TransportError of createClientSecureContext when OpenSSL refuses the list itself.
 */
export async function offeredTls12Suites(ciphers: string): Promise<number[] | null> {
  const secureContext = createClientSecureContext({ ciphers });
  let firstWrite: (chunk: Buffer | null) => void = () => undefined;
  const written = new Promise<Buffer | null>((resolve) => (firstWrite = resolve));
  const nowhere = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      firstWrite(chunk);
      done();
    },
  });
  const socket = connect({ socket: nowhere, secureContext, rejectUnauthorized: false });
  socket.on('error', () => firstWrite(null));
  const timer = setTimeout(() => firstWrite(null), FIRST_WRITE_MS);
  try {
    const hello = await written;
    const suites = hello ? clientHelloSuites(hello) : null;
    return suites && suites.filter((suite) => suite >> 8 !== 0x13 && !NOT_A_SUITE.has(suite));
  } finally {
    clearTimeout(timer);
    socket.destroy();
    nowhere.destroy();
  }
}
