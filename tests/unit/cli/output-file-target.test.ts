// A file a command writes where the operator named it: a folder there is refused as a folder, with or
// without --force (the old order asked for --force first, which then refused the folder).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../main/cli';
import { ExitCode } from '../../../main/cli/exit-codes';
import { runInMemory } from '../../support/cli-in-memory';
import { scratchDir } from '../../support/scratch-dirs';

describe('an output file that is a folder', () => {
  it.each([
    ['store', 'backup'],
    ['settings', 'export'],
  ])('%s %s FOLDER says it is a folder, with or without --force', async (command, subcommand) => {
    const folder = path.join(scratchDir('kmip-cli-target-'), 'a-folder');
    mkdirSync(folder);
    for (const force of [[], ['--force']]) {
      const run = await runInMemory((io) => main([command, subcommand, folder, ...force, '--data-dir', scratchDir('kmip-cli-data-')], io));
      expect(run.code).toBe(ExitCode.DataError);
      expect(run.stderr).toContain(`"${folder}" is a folder, not a file`);
      expect(run.stderr).not.toContain('add --force');
    }
  });
});

describe('an output path through a file', () => {
  it.each([
    ['store', 'backup'],
    ['settings', 'export'],
  ])('%s %s FILE/x is refused as a path files cannot be created in, not an internal error', async (command, subcommand) => {
    const file = path.join(scratchDir('kmip-cli-target-'), 'a-file');
    writeFileSync(file, 'x');
    const run = await runInMemory((io) => main([command, subcommand, path.join(file, 'out'), '--data-dir', scratchDir('kmip-cli-data-')], io));
    expect(run.code).toBe(ExitCode.DataError);
    expect(run.stderr).toContain(`"${path.dirname(path.join(file, 'out'))}" is not a folder files can be created in`);
  });
});
