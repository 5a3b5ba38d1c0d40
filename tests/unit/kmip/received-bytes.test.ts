import { describe, expect, it } from 'vitest';
import { ReceivedBytes } from '../../../main/kmip/transport/received-bytes';

/** What the TLS socket does with `onread`: fills the one buffer, then calls back with the length. */
function receive(received: ReceivedBytes, bytes: string): void {
  const { buffer, callback } = received.onread;
  const written = buffer.write(bytes, 'latin1');
  expect(callback(written)).toBe(true);
}

describe('ReceivedBytes', () => {
  it('hands each read to the consumer as it arrives', () => {
    const received = new ReceivedBytes();
    const chunks: string[] = [];
    received.consume((chunk) => chunks.push(chunk.toString('latin1')));
    receive(received, 'first');
    receive(received, 'XY');
    expect(chunks).toEqual(['first', 'XY']);
  });

  it('holds copies of chunks that arrive before the consumer (the read buffer is reused), and hands them over in order', () => {
    const received = new ReceivedBytes();
    receive(received, 'early-1');
    receive(received, 'early-2');
    const chunks: string[] = [];
    received.consume((chunk) => chunks.push(chunk.toString('latin1')));
    receive(received, 'late');
    expect(chunks).toEqual(['early-1', 'early-2', 'late']);
  });

  it('zeroes every byte it handed over once the consumer returns (a response can hold key material)', () => {
    const received = new ReceivedBytes();
    receive(received, 'early-secret');
    const handed: Buffer[] = [];
    received.consume((chunk) => {
      expect(chunk.toString('latin1')).toMatch(/-secret$/);
      handed.push(chunk);
    });
    receive(received, 'late-secret');
    expect(handed).toHaveLength(2);
    for (const chunk of handed) expect(chunk.every((byte) => byte === 0)).toBe(true);
    expect(received.onread.buffer.every((byte) => byte === 0)).toBe(true);
  });
});
