// Runs `kmip-console ttlv <args>` through the command object, with in-memory standard streams.
import { ttlvCommand } from '../../../main/cli/commands/ttlv';
import { runInMemory } from '../../support/cli-in-memory';

export async function runTtlv(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const run = await runInMemory((io) => ttlvCommand.run(args, io), { stdin });
  return { code: run.code, out: run.stdout, err: run.stderr };
}
