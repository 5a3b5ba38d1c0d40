// An option that would change nothing in the way it was combined is refused, rather than ignored: the
// operator meant something by it.
import { describe, expect, it } from 'vitest';
import { main } from '../../../main/cli';
import { ExitCode } from '../../../main/cli/exit-codes';
import { runInMemory } from '../../support/cli-in-memory';
import { scratchDir } from '../../support/scratch-dirs';

describe('options that would do nothing', () => {
  it.each([
    [['store', 'get', 'k', '--hex', '--json'], '--hex chooses how the value is printed as text; with --json the value is always base64'],
    [['store', 'get', 'k', '--base64', '--json'], '--base64 chooses how the value is printed as text'],
    [['recover', '--replace'], '--replace goes with --backup FILE'],
  ])('%j is a usage error that says why', async (argv, message) => {
    const run = await runInMemory((io) => main([...argv, '--data-dir', scratchDir('kmip-cli-noop-')], io));
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(message);
  });
});
