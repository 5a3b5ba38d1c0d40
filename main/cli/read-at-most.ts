// Bounded reading of standard input: a value or message piped in, never more than a cap.

/**
 * Reads `stream` to its end, or stops as soon as it has given more than `maxBytes` ('too-large': a
 * stream such as /dev/zero never ends). The chunks read are zeroed: they may hold a secret.
 */
export async function readAtMost(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      chunks.push(bytes);
      total += bytes.length;
      if (total > maxBytes) return 'too-large';
    }
    return Buffer.concat(chunks, total);
  } finally {
    for (const chunk of chunks) chunk.fill(0);
  }
}
