// Cuts a TLS byte stream into whole TTLV messages: 8-byte header, checked, then exactly `length`
// more bytes. Chunks are kept as received and copied once per message, so tiny chunks cost O(n).
// Bytes copied out of a chunk this reader kept are zeroed there: a response can hold key material.
import { TransportError } from './errors';

const HEADER_BYTES = 8;
const STRUCTURE_TYPE = 0x01;

export interface FrameReaderOptions {
  /** Tag every message must start with (Response Message for a client, Request Message for a server). */
  expectedTag: number;
  /** Cap on one message, header included. */
  maxMessageBytes: number;
  /** Used in error messages, e.g. "the server at host:5696". */
  peer: string;
}

export class FrameReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  /** Total bytes of the message being read, once its header was accepted; 0 while unknown. */
  private frameBytes = 0;

  constructor(private readonly options: FrameReaderOptions) {}

  /** Bytes received that do not yet form a whole message. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Bytes the current message needs in all (0 before its header arrived). */
  get expectedBytes(): number {
    return this.frameBytes;
  }

  /**
   * Adds received bytes; returns every message they complete. Throws a TransportError on a bad
   * header. `chunk` may be a view of a buffer that its owner overwrites after this call (see
   * received-bytes.ts): the bytes kept for a later message are copied, and the messages returned
   * may be views of `chunk`, to be decoded before the call that passed it returns.
   */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Buffer[] = [];
    for (;;) {
      if (this.frameBytes === 0) {
        if (this.buffered < HEADER_BYTES) break;
        this.frameBytes = this.checkHeader(this.peek(HEADER_BYTES));
      }
      if (this.buffered < this.frameBytes) break;
      frames.push(this.take(this.frameBytes));
      this.frameBytes = 0;
    }
    // Chunks leave in order, so while bytes are kept, the last one kept is what remains of `chunk`.
    if (chunk.length > 0 && this.buffered > 0) {
      const last = this.chunks.length - 1;
      this.chunks[last] = Buffer.from(this.chunks[last] as Buffer);
    }
    return frames;
  }

  private checkHeader(header: Buffer): number {
    const tag = header.readUIntBE(0, 3);
    const type = header[3];
    const length = header.readUInt32BE(4);
    const { expectedTag, maxMessageBytes, peer } = this.options;
    if (tag !== expectedTag || type !== STRUCTURE_TYPE) {
      throw new TransportError(
        'MALFORMED_RESPONSE',
        `${peer} sent bytes that are not a KMIP message (header ${header.toString('hex')}, expected tag ${expectedTag.toString(16)} of type Structure). Check that Port is a KMIP port.`,
        { detail: 'bad message header' },
      );
    }
    if (length % 8 !== 0) {
      throw new TransportError('MALFORMED_RESPONSE', `${peer} sent a KMIP message whose length (${length}) is not a multiple of 8.`, {
        detail: 'bad message length',
      });
    }
    if (HEADER_BYTES + length > maxMessageBytes) {
      throw new TransportError(
        'MESSAGE_TOO_LARGE',
        `${peer} announced a ${HEADER_BYTES + length}-byte message, above the ${maxMessageBytes}-byte cap. The message was not read.`,
        { detail: `length ${length}` },
      );
    }
    return HEADER_BYTES + length;
  }

  /** The first `n` buffered bytes, without consuming them. */
  private peek(n: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length >= n) return first.subarray(0, n);
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    for (const chunk of this.chunks) {
      filled += chunk.copy(out, filled, 0, Math.min(chunk.length, n - filled));
      if (filled === n) break;
    }
    return out;
  }

  /** Removes and returns the first `n` buffered bytes (n <= buffered). */
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0] as Buffer;
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    // Messages are taken only inside push(), where the last chunk is the caller's: the others are copies of ours.
    const callers = this.chunks.length - 1;
    let filled = 0;
    let used = 0;
    while (filled < n) {
      const chunk = this.chunks[used] as Buffer;
      const part = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, part);
      if (used < callers) chunk.fill(0, 0, part);
      filled += part;
      if (part === chunk.length) used += 1;
      else this.chunks[used] = chunk.subarray(part);
    }
    this.chunks.splice(0, used);
    return out;
  }

  /** Zeroes and drops the bytes of an unfinished message (the connection ended). */
  discard(): void {
    for (const chunk of this.chunks) chunk.fill(0);
    this.chunks.length = 0;
    this.buffered = 0;
    this.frameBytes = 0;
  }
}
