// `kmip-console apply`: the Apply transaction on the pending settings.
import { runApply, type ApplyRequest } from '../../eks';
import { connectionFor } from '../context';
import { defineCommand } from '../define-command';
import { ExitCode } from '../exit-codes';
import { cancelableByCtrlC } from '../interrupt';
import { progressPrinter, writeResult } from '../output';
import { applyPauseHook } from '../test-pause';

export const applyCommand = defineCommand({
  name: 'apply',
  summary: 'register a new Admin Key generation on the key server and apply the pending settings',
  usage: `Usage: kmip-console apply [--data-dir DIR] [--json]

Checks the pending settings, then in one transaction: connects, fetches an entropy seed (unless
Disable Entropy Seed), registers Admin Key generation N+1 on the key server, activates it, reads it
back, re-wraps the store's data key under it (atomic header write), and applies the pending
settings. If any step fails, the applied settings and the store stay as they were.
Ctrl-C (or SIGTERM, SIGHUP) stops Apply at the step in progress until it starts writing the store;
nothing changes then.
Exit: 0 applied, 1 a step failed, 3 the pending settings are invalid, or the store file is damaged
or not a regular file, 4 the key server is unreachable, 5 the keychain or a secret is unavailable,
130 canceled.
Tests only: KMIP_CONSOLE_TEST_PAUSE_AT=<step> stops Apply at that step (see main/cli/test-pause.ts).`,
  action: {
    async run(context) {
      const { io } = context;
      const check = await context.settings.assertReadyToApply(await context.settings.loadPending());
      for (const warning of check.warnings) io.stderr.write(`warning: ${warning.message}\n`);
      const { settings, connection } = await connectionFor(context, 'pending');
      const pauseAt = applyPauseHook(io.env);
      const request: ApplyRequest = {
        dataDir: context.dataDir,
        unlockKeys: context.unlockKeys,
        connection,
        disableEntropySeed: settings.disableEntropySeed,
        appliedBefore: (await context.settings.loadApplied()) !== null,
        commitSettings: async () => {
          await context.settings.commitApply(settings);
        },
        ...(pauseAt ? { pauseAt } : {}),
      };
      const outcome = await cancelableByCtrlC(io, 'apply', (cancel) => runApply(request, progressPrinter(io, connection.timeoutMs), cancel));
      writeResult(
        io,
        context.json,
        outcome,
        `Applied: Admin Key generation ${outcome.adminKeyGeneration} "${outcome.adminKeyName}" (unique identifier ${outcome.adminKeyId}); entropy: ${outcome.entropy}.`,
      );
      return ExitCode.Ok;
    },
  },
});
