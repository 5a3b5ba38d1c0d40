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
    expect(await readPipedStdin(piped(Readable.from([Buffer.alloc(8, 1), Buffer.from('\r\n')])), 8)).toEqual(Buffer.alloc(8, 1));
    await expect(readPipedStdin(piped(Readable.from([Buffer.alloc(9, 1)])), 8)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'The value piped in is longer than 8 bytes, the most an object can hold: nothing was added.',
    });
  });

  it('refuses an endless stream (store add NAME < /dev/zero) instead of reading it for ever', async () => {
    await expect(readPipedStdin(piped(endless()), 64 * 1024)).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
