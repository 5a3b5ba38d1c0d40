// A value typed where a name belongs (`settings set password=…`, `store bogus=…`) is refused without
// being quoted back: it may be a secret, and usage errors go to the terminal, logs and CI output.
import { describe, expect, it } from 'vitest';
import { main } from '../../../main/cli';
import { ExitCode } from '../../../main/cli/exit-codes';
import { runInMemory } from '../../support/cli-in-memory';
import { scratchDir } from '../../support/scratch-dirs';

const SECRET = 'Hunter2Secret';

describe('a value typed in place of a name', () => {
  it.each([
    [['settings', 'set', `password=${SECRET}`], /unknown field 'password=…' \(did you mean password\?\)/],
    [['store', `list=${SECRET}`], /unknown subcommand 'list=…' \(did you mean list\?\)/],
    [[`status=${SECRET}`], /unknown command 'status=…' \(did you mean status\?\)/],
  ])('%j is a usage error that names the word up to "=" only', async (argv, message) => {
    for (const json of [false, true]) {
      const run = await runInMemory((io) => main([...argv, '--data-dir', scratchDir('kmip-cli-typed-'), ...(json ? ['--json'] : [])], io));
      expect(run.code).toBe(ExitCode.Usage);
      expect(run.stdout + run.stderr).toMatch(message);
      expect(run.stdout + run.stderr).not.toContain(SECRET);
    }
  });
});
