// `kmip-console entropy`: the entropy fetch done at start, on the applied settings.
import { ENTROPY_REQUEST_BYTES, fetchEntropy } from '../../eks';
import { connectionFor } from '../context';
import { defineCommand } from '../define-command';
import { ExitCode } from '../exit-codes';
import { entropyProgress, reportedFailureExitCode, writeResult } from '../output';

export const entropyCommand = defineCommand({
  name: 'entropy',
  summary: 'fetch entropy from the key server (RNG Retrieve) as at start, and report the source',
  usage: `Usage: kmip-console entropy [--data-dir DIR] [--json]

With applied settings and Disable Entropy Seed off: asks Query whether the server offers RNG Retrieve,
fetches ${ENTROPY_REQUEST_BYTES} bytes and mixes them with the OS random generator (HKDF-SHA256). Servers without RNG
Retrieve (PyKMIP) are reported as "entropy source: unavailable on this server", and so is Protocol
1.0 or 1.1 ("unavailable at KMIP 1.1"): RNG Retrieve exists from KMIP 1.2.
Exit: 0 (mixed, unavailable, disabled or no applied settings), 4 the key server could not be reached,
did not answer in time or dropped the connection, 1 it failed otherwise (the OS random generator is
used alone).`,
  action: {
    async run(context) {
      const applied = await context.settings.loadApplied();
      const connection = applied && !applied.disableEntropySeed ? (await connectionFor(context, 'applied')).connection : null;
      if (connection) entropyProgress(context.io, connection);
      const report = await fetchEntropy({ connection, disabled: applied?.disableEntropySeed ?? false });
      const failed = report.status === 'failed';
      // A failure reads with --json as every command's does (ok, error), next to what was found.
      const result = failed ? { ...report, ok: false, error: { code: report.code, message: report.detail } } : report;
      writeResult(context.io, context.json, result, `entropy: ${report.status}: ${report.detail}`);
      return failed ? reportedFailureExitCode(report.code) : ExitCode.Ok;
    },
  },
});
