// `kmip-console ttlv decode|encode`: converts between TTLV hex and the KMIP JSON encoding.
import type { CliCommand, CliIo } from '../command';
import { ExitCode } from '../exit-codes';
import { readUserFile, UserFileError } from '../../files';
import { readAtMost } from '../read-at-most';
import { decodeTtlv, encodeTtlv, parseKmipJson, toKmipJson, TtlvError } from '../../kmip/ttlv';

const usage = `Usage:
  kmip-console ttlv decode [HEX | --file PATH]   TTLV hex -> KMIP JSON (pretty-printed)
  kmip-console ttlv encode [--file PATH]         KMIP JSON -> TTLV hex (lower case)

Without HEX or --file the input is read from standard input. Hex may contain whitespace and a leading 0x.
Malformed input exits with code 3 and names the byte offset (decode) or the JSON path (encode).`;

/** Inputs above this are refused before parsing: twice the hex of a 1 MiB message, plus room for whitespace. */
const MAX_INPUT_CHARS = 8 * 1024 * 1024;

class InputError extends Error {}

export const ttlvCommand: CliCommand = {
  name: 'ttlv',
  summary: 'decode TTLV hex to KMIP JSON, or encode KMIP JSON to TTLV hex',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const [action, ...rest] = args;
    if (action !== 'decode' && action !== 'encode') {
      io.stderr.write(`kmip-console ttlv: expected "decode" or "encode", got ${action === undefined ? 'nothing' : `"${action}"`}.\n\n${usage}\n`);
      return ExitCode.Usage;
    }
    let source: { kind: 'arg'; text: string } | { kind: 'file'; path: string } | { kind: 'stdin' };
    try {
      source = parseSource(action, rest);
    } catch (error) {
      io.stderr.write(`kmip-console ttlv ${action}: ${(error as Error).message}\n\n${usage}\n`);
      return ExitCode.Usage;
    }
    try {
      const input =
        source.kind === 'arg' ? source.text : source.kind === 'file' ? await readInputFile(source.path) : await readStream(io.stdin);
      if (action === 'decode') {
        const item = decodeTtlv(parseHex(input));
        io.stdout.write(`${JSON.stringify(toKmipJson(item), null, 2)}\n`);
      } else {
        io.stdout.write(`${encodeTtlv(parseKmipJson(input)).toString('hex')}\n`);
      }
      return ExitCode.Ok;
    } catch (error) {
      if (error instanceof TtlvError) {
        const where = error.path !== undefined ? '' : ` at byte offset ${error.offset} (0x${error.offset.toString(16)})`;
        io.stderr.write(`kmip-console ttlv ${action}: ${error.code}${where}: ${error.message}\n`);
        return ExitCode.DataError;
      }
      if (error instanceof InputError) {
        io.stderr.write(`kmip-console ttlv ${action}: ${error.message}\n`);
        return ExitCode.DataError;
      }
      throw error;
    }
  },
};

function parseSource(action: 'decode' | 'encode', rest: string[]): { kind: 'arg'; text: string } | { kind: 'file'; path: string } | { kind: 'stdin' } {
  if (rest.length === 0) return { kind: 'stdin' };
  if (rest[0] === '--file') {
    if (rest.length !== 2 || !rest[1]) throw new Error('--file needs exactly one PATH');
    return { kind: 'file', path: rest[1] };
  }
  if (action === 'decode' && rest.length === 1 && !rest[0]?.startsWith('-')) return { kind: 'arg', text: rest[0] as string };
  throw new Error(`unexpected argument(s): ${rest.join(' ')}`);
}

function parseHex(text: string): Buffer {
  let hex = text.replace(/\s+/g, '');
  if (hex.startsWith('0x') || hex.startsWith('0X')) hex = hex.slice(2);
  const bad = /[^0-9a-fA-F]/.exec(hex);
  if (bad) throw new InputError(`input is not hex: character "${bad[0]}" at position ${bad.index} (after removing whitespace)`);
  if (hex.length % 2 !== 0) throw new InputError(`input has an odd number of hex digits (${hex.length}); each byte needs two`);
  if (hex.length === 0) throw new InputError('input is empty: give TTLV hex as an argument, with --file, or on standard input');
  return Buffer.from(hex, 'hex');
}

async function readInputFile(path: string): Promise<string> {
  try {
    return (await readUserFile(path, { what: 'TTLV hex or KMIP JSON file', maxBytes: MAX_INPUT_CHARS })).toString('utf8');
  } catch (error) {
    throw error instanceof UserFileError ? new InputError(error.message) : error;
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const input = await readAtMost(stream, MAX_INPUT_CHARS);
  if (input === 'too-large') throw new InputError(`standard input exceeds the ${MAX_INPUT_CHARS}-byte input limit`);
  return input.toString('utf8');
}
