// Values and messages piped into the CLI are read up to a cap, and an endless stream is cut off there.
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../main/cli/command';
import { readAtMost } from '../../../main/cli/read-at-most';
import { readPipedStdin } from '../../../main/cli/secret-input';

/** Like `< /dev/zero`: 64 KiB of zeros, again and again, for ever. */
function endless(): Readable {
  return new Readable({
    read() {
      this.push(Buffer.alloc(64 * 1024));
    },
  });
}

function piped(stdin: NodeJS.ReadableStream): CliIo {
  return { stdin, stdout: new PassThrough(), stderr: new PassThrough(), env: {} };
}

describe('readAtMost', () => {
  it('returns the whole stream up to the cap, and stops an endless one just past it', async () => {
    expect(await readAtMost(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 4)).toEqual(Buffer.from('abcd'));
    expect(await readAtMost(Readable.from([Buffer.from('abcde')]), 4)).toBe('too-large');
    expect(await readAtMost(endless(), 1024 * 1024)).toBe('too-large');
  });
});

describe('readPipedStdin', () => {
  it('takes a value of the largest size with its final line break, and refuses one byte more', async () => {
    expect(await readPipedStdin(piped(Readable.from([Buffer.alloc(8, 1), Buffer.from('\r\n')])), 8, 'text')).toEqual(Buffer.alloc(8, 1));
    await expect(readPipedStdin(piped(Readable.from([Buffer.alloc(9, 1)])), 8, 'text')).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'The value piped in is longer than 8 bytes, the most an object can hold: nothing was added.',
    });
  });

  it('drops one final line break from text (echo secret | …), and only one', async () => {
    const text = async (input: string) => (await readPipedStdin(piped(Readable.from([Buffer.from(input)])), 64, 'text'))?.toString();
    expect(await text('secret\n')).toBe('secret');
    expect(await text('secret\r\n')).toBe('secret');
    expect(await text('secret\n\n')).toBe('secret\n');
    expect(await text('secret')).toBe('secret');
  });

  it('keeps every byte of a binary key, a final 0x0d 0x0a or 0x0a included', async () => {
    const binary = (bytes: number[], maxBytes = 64) => readPipedStdin(piped(Readable.from([Buffer.from(bytes)])), maxBytes, 'binary');
    expect(await binary([0x01, 0x02, 0x03, 0x0d, 0x0a], 5)).toEqual(Buffer.from([0x01, 0x02, 0x03, 0x0d, 0x0a]));
    expect(await binary([0x00, 0x0a])).toEqual(Buffer.from([0x00, 0x0a]));
    // No room is left for a line break that is not there: one byte more than the most is refused.
    await expect(binary([0x01, 0x02, 0x03, 0x04, 0x0a], 4)).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('refuses an endless stream (store add NAME < /dev/zero) instead of reading it for ever', async () => {
    await expect(readPipedStdin(piped(endless()), 64 * 1024, 'text')).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(readPipedStdin(piped(endless()), 64 * 1024, 'binary')).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
