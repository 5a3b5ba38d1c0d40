// `kmip-console ttlv decode|encode` through the command object, with in-memory standard streams.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { vector } from '../../../fuzz/vectors';
import { ExitCode } from '../../../main/cli/exit-codes';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../../main/kmip/ttlv';
import { scratchDir } from '../../support/scratch-dirs';
import { runTtlv } from './ttlv-cli-run';

let dir: string;
beforeAll(() => {
  dir = scratchDir('ttlv-cli-');
});

describe('kmip-console ttlv', () => {
  const hex = vector('pykmip010-query-response').bytes.toString('hex');

  it('decodes hex from an argument to pretty JSON with spec names', async () => {
    const { code, out } = await runTtlv(['decode', hex]);
    expect(code).toBe(ExitCode.Ok);
    expect(out).toContain('\n  "tag": "ResponseMessage"');
    expect(out).toContain('"value": "Query"');
    expect(JSON.parse(out).tag).toBe('ResponseMessage');
  });

  it('decodes hex with whitespace from stdin and from --file, and encodes it back to the same hex', async () => {
    const spaced = hex.replace(/(.{16})/g, '$1 \n');
    const fromStdin = await runTtlv(['decode'], spaced);
    const file = path.join(dir, 'msg.hex');
    writeFileSync(file, `0x${hex}\n`);
    const fromFile = await runTtlv(['decode', '--file', file]);
    expect(fromFile.out).toBe(fromStdin.out);
    const encoded = await runTtlv(['encode'], fromStdin.out);
    expect(encoded).toEqual({ code: ExitCode.Ok, out: `${hex}\n`, err: '' });
    const jsonFile = path.join(dir, 'msg.json');
    writeFileSync(jsonFile, fromStdin.out);
    expect((await runTtlv(['encode', '--file', jsonFile])).out).toBe(`${hex}\n`);
  });

  it('exits 3 with the byte offset on malformed TTLV, and with the JSON path on bad JSON', async () => {
    const truncated = await runTtlv(['decode', hex.slice(0, 40)]);
    expect(truncated.code).toBe(ExitCode.DataError);
    expect(truncated.err).toMatch(/TRUNCATED at byte offset \d+/);
    const badPadding = await runTtlv(['decode', '42006a020000000400000001000000ff']);
    expect(badPadding.err).toMatch(/BAD_PADDING at byte offset 15 \(0xf\)/);
    const notHex = await runTtlv(['decode', 'xyz']);
    expect(notHex.code).toBe(ExitCode.DataError);
    expect(notHex.err).toMatch(/not hex/);
    const badJson = await runTtlv(['encode'], '{"tag":"RequestMessage","value":[{"tag":"Operation","type":"Enumeration","value":"Gett"}]}');
    expect(badJson.code).toBe(ExitCode.DataError);
    expect(badJson.err).toContain('$.value[0].value');
    const missingFile = await runTtlv(['decode', '--file', path.join(dir, 'none.hex')]);
    expect(missingFile.code).toBe(ExitCode.DataError);
    expect(missingFile.err).toContain(`File "${path.join(dir, 'none.hex')}" does not exist`);
    const device = await runTtlv(['decode', '--file', '/dev/zero']);
    expect(device.code).toBe(ExitCode.DataError);
    expect(device.err).toMatch(/"\/dev\/zero" is not a regular file/);
  });

  it('exits 2 on a wrong command line', async () => {
    expect((await runTtlv([])).code).toBe(ExitCode.Usage);
    expect((await runTtlv(['frobnicate'])).code).toBe(ExitCode.Usage);
    expect((await runTtlv(['encode', 'abcd'])).code).toBe(ExitCode.Usage);
    expect((await runTtlv(['decode', '--file'])).code).toBe(ExitCode.Usage);
    expect((await runTtlv(['decode', '--frobnicate'])).code).toBe(ExitCode.Usage);
    const both = await runTtlv(['decode', '--file', path.join(dir, 'msg.hex'), hex]);
    expect(both.code).toBe(ExitCode.Usage);
    expect(both.err).toMatch(/^kmip-console ttlv decode: give HEX or --file PATH, not both\n/);
  });

  it('takes the common options: --json (errors as the JSON error object too) and --data-dir (ignored)', async () => {
    const decoded = await runTtlv(['decode', '--json', '--data-dir', path.join(dir, 'no-such-folder'), hex]);
    expect(decoded.code).toBe(ExitCode.Ok);
    expect(JSON.parse(decoded.out).tag).toBe('ResponseMessage');
    expect(await runTtlv(['encode', '--json'], decoded.out)).toEqual({ code: ExitCode.Ok, out: `${JSON.stringify({ hex }, null, 2)}\n`, err: '' });

    const truncated = await runTtlv(['decode', hex.slice(0, 40), '--json']);
    expect(truncated.code).toBe(ExitCode.DataError);
    expect(JSON.parse(truncated.out)).toEqual({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/^TRUNCATED at byte offset \d+/) } });
    expect(truncated.err).toMatch(/^kmip-console ttlv decode: TRUNCATED at byte offset \d+/);
    const badJson = await runTtlv(['encode', '--json'], '{"tag":"Nope","value":[]}');
    expect(badJson.code).toBe(ExitCode.DataError);
    expect(JSON.parse(badJson.out).error.message).toMatch(/^INVALID_JSON: \$\.tag: unknown tag name "Nope"/);
    // without --json nothing but the result goes to standard output
    expect((await runTtlv(['decode', hex.slice(0, 40)])).out).toBe('');
  });

  it('says the input is empty for encode as for decode', async () => {
    for (const stdin of ['', ' \n', '\uFEFF']) {
      expect(await runTtlv(['encode'], stdin)).toEqual({
        code: ExitCode.DataError,
        out: '',
        err: 'kmip-console ttlv encode: input is empty: give KMIP JSON with --file or on standard input\n',
      });
    }
    expect((await runTtlv(['decode'], ' \n')).err).toBe('kmip-console ttlv decode: input is empty: give TTLV hex as an argument, with --file, or on standard input\n');
  });

  it('encodes and decodes messages up to the 1 MiB cap, and refuses larger ones both ways with a message the CLI user can act on', async () => {
    // one Byte String filling the message: 8 header bytes + value
    const jsonOfSize = (bytes: number) => JSON.stringify({ tag: 'KeyMaterial', type: 'ByteString', value: '00'.repeat(bytes - 8) });
    const atCap = await runTtlv(['encode'], jsonOfSize(DEFAULT_MAX_MESSAGE_BYTES));
    expect(atCap.code).toBe(ExitCode.Ok);
    expect(atCap.out.length).toBe(2 * DEFAULT_MAX_MESSAGE_BYTES + 1);
    expect((await runTtlv(['decode'], atCap.out)).code).toBe(ExitCode.Ok);

    const encodeOver = await runTtlv(['encode'], jsonOfSize(DEFAULT_MAX_MESSAGE_BYTES + 8));
    expect(encodeOver).toMatchObject({ code: ExitCode.DataError, out: '' });
    expect(encodeOver.err).toMatch(/^kmip-console ttlv encode: TOO_LARGE: the encoded message would be 1048584 bytes, above the 1048576-byte \(1 MiB\) message limit/);
    const decodeOver = await runTtlv(['decode'], `4200430800100000${'00'.repeat(DEFAULT_MAX_MESSAGE_BYTES)}`);
    expect(decodeOver.code).toBe(ExitCode.DataError);
    expect(decodeOver.err).toMatch(/^kmip-console ttlv decode: TOO_LARGE: the input is a 1048584-byte message, above the 1048576-byte \(1 MiB\) message limit/);
    for (const { err } of [encodeOver, decodeOver]) {
      // the library's hint names an option of decodeTtlv that the command line does not have
      expect(err).not.toMatch(/maxMessageBytes|raise/);
      expect(err).toMatch(/split larger batches into several messages/);
    }
  });
});
