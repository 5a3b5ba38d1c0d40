// Runs `kmip-console ttlv <args>` through the command object, with in-memory standard streams.
import { PassThrough, Readable } from 'node:stream';
import { ttlvCommand } from '../../../main/cli/commands/ttlv';

export async function runTtlv(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await ttlvCommand.run(args, { stdin: Readable.from([stdin]), stdout, stderr, env: {} });
  return { code, out, err };
}
