// `settings export` next to the settings it exports: never over the data folder's settings file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../main/cli';
import { ExitCode } from '../../../main/cli/exit-codes';
import { scratchDir } from '../../support/scratch-dirs';

async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await main(args, { stdin: Readable.from([]), stdout: new PassThrough(), stderr, env: {} });
  return { code, stderr: err };
}

describe('settings export', () => {
  it('refuses to write over the settings file of the data folder, even with --force, and leaves it as it was', async () => {
    const dataDir = scratchDir('kmip-export-');
    expect((await run(['settings', 'set', 'port', '5697', '--data-dir', dataDir])).code).toBe(ExitCode.Ok);
    const settingsFile = path.join(dataDir, 'settings.json');
    const before = readFileSync(settingsFile);
    const refused = await run(['settings', 'export', path.join(dataDir, '.', 'settings.json'), '--force', '--data-dir', dataDir]);
    expect(refused.code).toBe(ExitCode.DataError);
    expect(refused.stderr).toContain('is the settings file of the data folder itself');
    expect(readFileSync(settingsFile)).toEqual(before);
    expect((await run(['settings', 'export', path.join(dataDir, 'export.json'), '--data-dir', dataDir])).code).toBe(ExitCode.Ok);
  });
});
