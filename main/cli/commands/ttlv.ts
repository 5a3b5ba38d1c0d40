// `kmip-console ttlv decode|encode`: converts between TTLV hex and the KMIP JSON encoding.
import { readUserFile } from '../../files';
import { DEFAULT_MAX_MESSAGE_BYTES, decodeTtlv, encodeTtlv, parseKmipJson, toKmipJson, TtlvError } from '../../kmip/ttlv';
import { parseCommandArgs, UsageError, wantsJson, type ParsedArgs } from '../args';
import type { CliCommand, CliIo } from '../command';
import { CliError } from '../errors';
import { ExitCode } from '../exit-codes';
import { reportFailure, writeResult } from '../output';
import { readAtMost } from '../read-at-most';
import { isStandardStream } from '../standard-stream-path';

const usage = `Usage:
  kmip-console ttlv decode [HEX | --file PATH] [--json]   TTLV hex -> KMIP JSON (pretty-printed)
  kmip-console ttlv encode [--file PATH] [--json]         KMIP JSON -> TTLV hex (lower case)

Without HEX or --file (or with --file -), the input is read from standard input. Hex may contain
whitespace and a leading 0x.
Messages above ${DEFAULT_MAX_MESSAGE_BYTES} bytes (1 MiB, the limit of kmip-console and of common KMIP servers) are
refused both ways. Malformed input exits with code 3 and names the byte offset (decode) or the JSON path (encode).
With --json, encode prints {"hex": "..."}, and a failure also prints {"ok": false, "error": {"code", "message"}} on
standard output. --data-dir is accepted and ignored: ttlv reads no data folder.`;

/** Inputs above this are refused before parsing: twice the hex of a 1 MiB message, plus room for whitespace. */
const MAX_INPUT_CHARS = 8 * 1024 * 1024;

const TTLV_OPTIONS = { file: { type: 'string' } } as const;

export const ttlvCommand: CliCommand = {
  name: 'ttlv',
  summary: 'decode TTLV hex to KMIP JSON, or encode KMIP JSON to TTLV hex',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const json = wantsJson(args);
    const [action, ...rest] = args;
    let label = 'ttlv';
    try {
      if (action !== 'decode' && action !== 'encode') {
        throw new UsageError(`expected "decode" or "encode", got ${action === undefined ? 'nothing' : `"${action}"`}`);
      }
      label = `ttlv ${action}`;
      const parsed = parseCommandArgs(label, rest, TTLV_OPTIONS, { names: action === 'decode' ? ['HEX'] : [], min: 0 });
      const input = await readInput(parsed, io);
      if (action === 'decode') {
        writeResult(io, true, toKmipJson(decodeTtlv(parseHex(input))), '');
      } else {
        const hex = encodeJson(input).toString('hex');
        writeResult(io, parsed.json, { hex }, hex);
      }
      return ExitCode.Ok;
    } catch (error) {
      return reportFailure(io, json, label, error instanceof TtlvError ? badTtlvInput(error) : error, usage);
    }
  },
};

async function readInput(parsed: ParsedArgs, io: CliIo): Promise<string> {
  const file = parsed.strings.file;
  const [hexArgument] = parsed.positionals;
  if (file !== undefined && hexArgument !== undefined) throw new UsageError('give HEX or --file PATH, not both');
  if (hexArgument !== undefined) return hexArgument;
  if (file !== undefined && !isStandardStream(file)) {
    return (await readUserFile(file, { what: 'TTLV hex or KMIP JSON file', maxBytes: MAX_INPUT_CHARS })).toString('utf8');
  }
  const input = await readAtMost(io.stdin, MAX_INPUT_CHARS);
  if (input === 'too-large') {
    throw new CliError(
      'BAD_INPUT',
      `standard input holds more than ${MAX_INPUT_CHARS} bytes, more than the hex or JSON of a KMIP message can (1 MiB at most): pass one message at a time`,
    );
  }
  return input.toString('utf8');
}

function parseHex(text: string): Buffer {
  let hex = text.replace(/\s+/g, '');
  if (hex.startsWith('0x') || hex.startsWith('0X')) hex = hex.slice(2);
  const bad = /[^0-9a-fA-F]/.exec(hex);
  if (bad) throw new CliError('BAD_INPUT', `input is not hex: character "${bad[0]}" at position ${bad.index} (after removing whitespace)`);
  if (hex.length % 2 !== 0) throw new CliError('BAD_INPUT', `input has an odd number of hex digits (${hex.length}); each byte needs two`);
  if (hex.length === 0) throw new CliError('BAD_INPUT', 'input is empty: give TTLV hex as an argument, with --file, or on standard input');
  // Checked here rather than left to decodeTtlv, whose message suggests an option of the library the CLI lacks.
  if (hex.length / 2 > DEFAULT_MAX_MESSAGE_BYTES) throw messageTooLarge(`the input is a ${hex.length / 2}-byte message`);
  return Buffer.from(hex, 'hex');
}

function encodeJson(text: string): Buffer {
  // trim() also drops a byte order mark, so a file holding only one counts as empty too
  if (text.trim() === '') throw new CliError('BAD_INPUT', 'input is empty: give KMIP JSON with --file or on standard input');
  const encoded = encodeTtlv(parseKmipJson(text));
  // The decoder, key servers and this tool's own `ttlv decode` refuse larger messages: never produce one.
  if (encoded.length > DEFAULT_MAX_MESSAGE_BYTES) throw messageTooLarge(`the encoded message would be ${encoded.length} bytes`);
  return encoded;
}

function messageTooLarge(what: string): CliError {
  return new CliError(
    'BAD_INPUT',
    `TOO_LARGE: ${what}, above the ${DEFAULT_MAX_MESSAGE_BYTES}-byte (1 MiB) message limit of kmip-console and of common ` +
      'KMIP servers; the limit is fixed: give a single KMIP message, and split larger batches into several messages',
  );
}

/** A codec error as the command's input error (exit 3), with the TTLV code and where in the input it is. */
function badTtlvInput(error: TtlvError): CliError {
  const where = error.path !== undefined ? '' : ` at byte offset ${error.offset} (0x${error.offset.toString(16)})`;
  return new CliError('BAD_INPUT', `${error.code}${where}: ${error.message}`);
}
