import { describe, expect, it, vi } from 'vitest';
import { FrameReader, TransportError } from '../../../main/kmip/transport';
import { encodeTtlv, Tag } from '../../../main/kmip/ttlv';
import { GET_AES256_RESPONSE, getRequest, responseFor } from '../../support/transport-fixtures';

const getResponse = GET_AES256_RESPONSE;
const queryResponse = encodeTtlv(responseFor(getRequest('a-longer-unique-identifier', [null, null, null])));

function reader(maxMessageBytes = 1 << 20): FrameReader {
  return new FrameReader({ expectedTag: Tag.ResponseMessage, maxMessageBytes, peer: 'the server at test:5696' });
}

function thrown(fn: () => unknown): TransportError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TransportError) return err;
    throw err;
  }
  throw new Error('expected a TransportError');
}

describe('FrameReader', () => {
  it('reassembles a message delivered one byte at a time', () => {
    const frames = reader();
    const out: Buffer[] = [];
    for (let i = 0; i < getResponse.length; i += 1) {
      const got = frames.push(getResponse.subarray(i, i + 1));
      if (i < getResponse.length - 1) expect(got).toHaveLength(0);
      out.push(...got);
    }
    expect(out).toHaveLength(1);
    expect(Buffer.compare(out[0] as Buffer, getResponse)).toBe(0);
    expect(frames.pendingBytes).toBe(0);
  });

  it('splits back-to-back messages and keeps the bytes beyond a boundary for the next one', () => {
    const frames = reader();
    const stream = Buffer.concat([getResponse, queryResponse, getResponse]);
    const cut = getResponse.length + 13; // inside the second message
    const first = frames.push(stream.subarray(0, cut));
    expect(first.map((f) => f.length)).toEqual([getResponse.length]);
    expect(frames.pendingBytes).toBe(13);
    const rest = frames.push(stream.subarray(cut));
    expect(rest.map((f) => f.toString('hex'))).toEqual([queryResponse.toString('hex'), getResponse.toString('hex')]);
  });

  it('handles random chunking of many messages without losing or reordering a byte', () => {
    const messages = Array.from({ length: 50 }, (_, i) => (i % 2 ? getResponse : queryResponse));
    const stream = Buffer.concat(messages);
    const frames = reader();
    const out: Buffer[] = [];
    let offset = 0;
    let seed = 7;
    while (offset < stream.length) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const size = 1 + (seed % 97);
      out.push(...frames.push(stream.subarray(offset, offset + size)));
      offset += size;
    }
    expect(Buffer.concat(out).equals(stream)).toBe(true);
    expect(out).toHaveLength(50);
  });

  it('keeps its own copy of the bytes it holds, so the caller may overwrite its read buffer after each push', () => {
    const messages = Array.from({ length: 30 }, (_, i) => (i % 3 ? getResponse : queryResponse));
    const stream = Buffer.concat(messages);
    const frames = reader();
    const readBuffer = Buffer.alloc(128); // reused for every read, as the socket's onread buffer is
    const out: Buffer[] = [];
    let offset = 0;
    let seed = 11;
    while (offset < stream.length) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const size = Math.min(1 + (seed % readBuffer.length), stream.length - offset);
      stream.copy(readBuffer, 0, offset, offset + size);
      // Messages returned may be views of the read buffer: the caller uses them before the next read.
      out.push(...frames.push(readBuffer.subarray(0, size)).map((frame) => Buffer.from(frame)));
      readBuffer.fill(0xaa);
      offset += size;
    }
    expect(out).toHaveLength(30);
    expect(Buffer.concat(out).equals(stream)).toBe(true);
  });

  it('zeroes its own copies of a message once the message is taken, and never touches the caller\'s bytes', () => {
    const stream = Buffer.from(getResponse);
    const frames = reader();
    const copy = vi.spyOn(Buffer, 'from');
    try {
      expect(frames.push(stream.subarray(0, 100))).toEqual([]);
      expect(frames.push(stream.subarray(100, 200))).toEqual([]);
      const kept = copy.mock.results.map((result) => result.value as Buffer);
      expect(kept.map((bytes) => bytes.length)).toEqual([100, 100]);
      const [message] = frames.push(stream.subarray(200));
      expect(message?.equals(getResponse)).toBe(true);
      for (const bytes of kept) expect(bytes.every((byte) => byte === 0)).toBe(true);
    } finally {
      copy.mockRestore();
    }
    expect(stream.equals(getResponse)).toBe(true);
  });

  it('discard() zeroes and drops the bytes of an unfinished message', () => {
    const frames = reader();
    const copy = vi.spyOn(Buffer, 'from');
    try {
      frames.push(Buffer.from(getResponse.subarray(0, 50)));
      const kept = copy.mock.results.at(-1)?.value as Buffer;
      expect(kept.equals(getResponse.subarray(0, 50))).toBe(true);
      frames.discard();
      expect(kept.every((byte) => byte === 0)).toBe(true);
    } finally {
      copy.mockRestore();
    }
    expect(frames.pendingBytes).toBe(0);
    expect(frames.expectedBytes).toBe(0);
    // The next message is read from its own header, not from the dropped bytes.
    expect(frames.push(getResponse)).toHaveLength(1);
  });

  it('refuses a 2 GiB length field from the header alone, without buffering', () => {
    const header = Buffer.from('42007b0180000000', 'hex');
    const started = performance.now();
    const error = thrown(() => reader().push(header));
    expect(error.code).toBe('MESSAGE_TOO_LARGE');
    expect(error.message).toContain('1048576');
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('refuses a message over a custom cap', () => {
    expect(thrown(() => reader(64).push(getResponse)).code).toBe('MESSAGE_TOO_LARGE');
  });

  it('refuses garbage: a wrong tag, a non-structure type, a length not a multiple of 8', () => {
    expect(thrown(() => reader().push(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).code).toBe('MALFORMED_RESPONSE');
    expect(thrown(() => reader().push(Buffer.from('42007b0200000004', 'hex'))).code).toBe('MALFORMED_RESPONSE');
    expect(thrown(() => reader().push(Buffer.from('4200780100000010', 'hex'))).code).toBe('MALFORMED_RESPONSE');
    expect(thrown(() => reader().push(Buffer.from('42007b010000000c', 'hex'))).code).toBe('MALFORMED_RESPONSE');
  });

  it('waits for a header split across chunks before judging it', () => {
    const frames = reader();
    expect(frames.push(getResponse.subarray(0, 3))).toHaveLength(0);
    expect(frames.push(getResponse.subarray(3, 5))).toHaveLength(0);
    expect(frames.expectedBytes).toBe(0);
    expect(frames.push(getResponse.subarray(5, 9))).toHaveLength(0);
    expect(frames.expectedBytes).toBe(getResponse.length);
    expect(frames.push(getResponse.subarray(9))).toHaveLength(1);
  });
});
