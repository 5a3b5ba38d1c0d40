import { describe, expect, it } from 'vitest';
import { ReceivedBytes } from '../../../main/kmip/transport/received-bytes';

/** What the TLS socket does with `onread`: fills the one buffer, then calls back with the length. */
function receive(received: ReceivedBytes, bytes: string): void {
  const { buffer, callback } = received.onread;
  const written = buffer.write(bytes, 'latin1');
  expect(callback(written, buffer)).toBe(true);
}

describe('ReceivedBytes', () => {
  it('copies each chunk out of the reused read buffer', () => {
    const received = new ReceivedBytes();
    const chunks: Buffer[] = [];
    received.consume((chunk) => chunks.push(chunk));
    receive(received, 'first');
    receive(received, 'XY');
    expect(chunks.map((chunk) => chunk.toString('latin1'))).toEqual(['first', 'XY']);
  });

  it('holds chunks that arrive before the consumer, and hands them over in order', () => {
    const received = new ReceivedBytes();
    receive(received, 'early-1');
    receive(received, 'early-2');
    const chunks: string[] = [];
    received.consume((chunk) => chunks.push(chunk.toString('latin1')));
    receive(received, 'late');
    expect(chunks).toEqual(['early-1', 'early-2', 'late']);
  });
});
