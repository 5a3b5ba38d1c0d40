// A file a command writes where the operator named it: a folder there is refused as a folder, with or
// without --force (the old order asked for --force first, which then refused the folder).
import { mkdirSync } from 'node:fs';
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
