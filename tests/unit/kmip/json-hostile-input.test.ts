// KMIP JSON input built to break the reader: nesting deeper than the stack, multi-megabyte values, syntax errors
// around key material. Each must end in a typed INVALID_JSON error (exit 3 in the CLI), never a RangeError (exit 70)
// and never a message that quotes the input.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { ItemType, parseKmipJson, Tag } from '../../../main/kmip/ttlv';
import { runTtlv } from './ttlv-cli-run';
import { parseError } from './ttlv-error-of';

const encodeCli = (stdin: string) => runTtlv(['encode'], stdin);


afterEach(() => {
  vi.restoreAllMocks();
});

describe('KMIP JSON reader on hostile input', () => {
  it('reports deeply nested non-item JSON by path, with a short preview, instead of overflowing the stack', async () => {
    const deepArray = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    const deepObject = `${'{"a":'.repeat(100000)}1${'}'.repeat(100000)}`;
    const cases: [string, string, RegExp][] = [
      [deepArray, '$', /item object .*, got \[{37}\.\.\.$/],
      [`{"tag":"BatchCount","type":"Integer","value":${deepObject}}`, '$.value', /Integer value must be .*, got \{"a":\{"a":/],
      // a child's tag is looked at before the child is read, to find Attribute Values
      [`{"tag":"RequestMessage","value":[{"tag":${deepArray},"value":[]}]}`, '$.value[0].tag', /"tag" must be a tag name/],
    ];
    for (const [text, path, message] of cases) {
      const error = parseError(text);
      expect(error.code).toBe('INVALID_JSON');
      expect(error.path).toBe(path);
      expect(error.message).toMatch(message);
      expect(error.message.length).toBeLessThan(200);
    }
    const cli = await encodeCli(deepArray);
    expect(cli.code).toBe(ExitCode.DataError);
    expect(cli.err).toMatch(/^kmip-console ttlv encode: INVALID_JSON: \$: expected an item object/);
  });

  it('reads a multi-megabyte Big Integer, and still refuses a malformed one with the usual message', async () => {
    const hex = '7f'.repeat(3999992); // 499999 blocks of 16 digits
    const item = parseKmipJson(`{"tag":"BatchCount","type":"BigInteger","value":"0x${hex}"}`);
    expect(item).toEqual({ tag: Tag.BatchCount, type: ItemType.BigInteger, value: BigInt(`0x${hex}`) });
    // The CLI reads it too, but will not write a message above the 1 MiB cap that decoders and servers refuse.
    const cli = await encodeCli(`{"tag":"BatchCount","type":"BigInteger","value":"0x${hex}"}`);
    expect(cli).toMatchObject({ code: ExitCode.DataError, out: '' });
    expect(cli.err).toMatch(/^kmip-console ttlv encode: TOO_LARGE: the encoded message would be 4000000 bytes, above the 1048576-byte/);
    expect(cli.err).not.toContain('7f7f7f7f');

    const notMultiple = parseError(`{"tag":"BatchCount","type":"BigInteger","value":"0x${hex}00"}`);
    expect(notMultiple.message).toBe(`$.value: a Big Integer value must be a number or "0x" + hex digits in multiples of 16, got a string of ${hex.length + 4} characters starting with "0x"`);
    const notHex = parseError(`{"tag":"BatchCount","type":"BigInteger","value":"0x${hex.slice(0, -1)}g"}`);
    expect(notHex.message).toMatch(/multiples of 16, got a string of \d+ characters starting with "0x" with a non-hex character at position 7999985$/);
  });

  it('names the place and kind of a JSON syntax error without quoting the input', () => {
    const secret = 'deadbeefcafebabe0011223344556677';
    const error = parseError(`{"tag":"KeyMaterial","type":"ByteString","value":${secret}}`);
    expect(error).toMatchObject({ code: 'INVALID_JSON', path: '$' });
    expect(error.message).toBe('not valid JSON: unexpected character where a value should be at line 1, column 50 (character 50)');

    const cases: [string, string][] = [
      ['{"tag":"KeyMaterial","type":"ByteString","value":"0011', 'unexpected end of input at line 1, column 55'],
      ['{"tag":"KeyMaterial",\n "type":"ByteString"\n "value":"0011"}', 'expected "," or "}" at line 3, column 2 (character 45)'],
      ['{"tag":"KeyMaterial","value":"00\\x11"}', 'invalid escape sequence in a string at line 1, column 33'],
      ['{"tag":"KeyMaterial","value":"00\t11"}', 'unescaped control character in a string at line 1, column 33'],
      ['{"tag":"KeyMaterial","value":[1,]}', 'unexpected character where a value should be at line 1, column 33'],
      ['{"tag":"KeyMaterial",}', 'expected a property name in double quotes at line 1, column 22'],
      ['{"tag" "KeyMaterial"}', 'expected ":" after a property name at line 1, column 8'],
      ['{"value":0011}', 'expected "," or "}" at line 1, column 11'],
      ['{"value":-x}', 'invalid number at line 1, column 11'],
      ['{"value":1} 0011', 'unexpected character after the end of the JSON value at line 1, column 13'],
    ];
    for (const [text, where] of cases) {
      const { message } = parseError(text);
      expect(message.slice(0, `not valid JSON: ${where}`.length)).toBe(`not valid JSON: ${where}`);
      expect(message).not.toMatch(/0011|KeyMaterial/);
    }
  });

  it('checks duplicate keys without recursion or a scan that never ends, and keeps the depth limits', () => {
    // a duplicate beyond the nesting valid KMIP JSON can reach is left to the depth and item checks
    const deepDuplicate = `${'{"a":'.repeat(100000)}{"b":1,"b":2}${'}'.repeat(100000)}`;
    expect(parseError(deepDuplicate)).toMatchObject({ code: 'INVALID_JSON', path: '$.a' });
    let deepItems = '{"tag":"BatchCount","type":"Integer","value":1}';
    for (let i = 0; i < 100; i++) deepItems = `{"tag":"Attribute","value":[${deepItems}]}`;
    expect(parseError(deepItems).code).toBe('TOO_DEEP');
    // a duplicate at the top is found before anything deep is looked at
    expect(parseError(`{"tag":"Attribute","tag":"Attribute","value":[${deepItems}]}`)).toMatchObject({ code: 'INVALID_JSON', path: '$.tag' });
  });

  it('reports a parser that runs out of stack as a typed error', () => {
    vi.spyOn(JSON, 'parse').mockImplementation(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    expect(parseError('[[[]]]').message).toBe('not valid JSON: nested too deeply to read');
  });

  it('skips one leading byte order mark, as decode does', async () => {
    const json = '{"tag":"BatchCount","type":"Integer","value":1}';
    expect(parseKmipJson(`\uFEFF${json}`)).toEqual(parseKmipJson(json));
    expect(await encodeCli(`\uFEFF${json}`)).toEqual({ code: ExitCode.Ok, out: '42000d02000000040000000100000000\n', err: '' });
    expect(parseError(`\uFEFF\uFEFF${json}`).message).toMatch(/unexpected character where a value should be at line 1, column 1 /);
  });
});
