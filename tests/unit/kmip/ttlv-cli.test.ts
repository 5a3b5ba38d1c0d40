// `kmip-console ttlv decode|encode` through the command object, with in-memory standard streams.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { vector } from '../../../fuzz/vectors';
import { ExitCode } from '../../../main/cli/exit-codes';
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
  });
});
