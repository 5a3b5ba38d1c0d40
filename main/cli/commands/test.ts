// `kmip-console test`: the diagnostics of the Test button, on the pending (or applied) settings.
import { runTest } from '../../eks';
import { connectionFor } from '../context';
import { defineCommand } from '../define-command';
import { ExitCode } from '../exit-codes';
import { cancelableByCtrlC } from '../interrupt';
import { reportedFailureExitCode, progressPrinter, writeResult } from '../output';

export const testCommand = defineCommand({
  name: 'test',
  summary: 'diagnose the connection to the key server (no changes on the server)',
  usage: `Usage: kmip-console test [--applied] [--data-dir DIR] [--json]

Runs the Test diagnostics on the pending settings (--applied: on the applied ones): name resolution,
TCP connect, TLS handshake, KMIP version, Query, required operations, credentials. Only Discover
Versions and Query are sent. Progress goes to stderr; the report to stdout.
Ctrl-C (or SIGTERM, SIGHUP) stops the Test at the step in progress.
Exit: 0 all steps pass or warn, 1 a step failed, 4 the key server could not be reached or did not
answer in time, 130 canceled.`,
  action: {
    options: { applied: { type: 'boolean' } },
    async run(context, args) {
      const { connection } = await connectionFor(context, args.flags.applied ? 'applied' : 'pending');
      const { report, canceled } = await cancelableByCtrlC(context.io, 'test', async (cancel) => ({
        report: await runTest(connection, progressPrinter(context.io, connection.timeoutMs), cancel),
        canceled: cancel.requested,
      }));
      const failed = report.steps.find((step) => step.status === 'fail');
      if (report.ok) {
        writeResult(context.io, context.json, report, `Test passed in ${report.totalMs} ms.`);
        return ExitCode.Ok;
      }
      // As apply and recover report a failure with --json: the error of the step that ended the run, next to the steps.
      const where = failed?.label ?? 'its start';
      const error = failed
        ? { code: failed.code, message: [`${failed.label}: ${failed.detail ?? ''}`, failed.fix].filter(Boolean).join(' ') }
        : { code: canceled ? 'TEST_CANCELED' : 'TEST_FAILED', message: `The Test ended at ${where}.` };
      const text = canceled ? `Test canceled at "${where}". Nothing was changed.` : `Test failed at "${where}": ${failed?.detail ?? ''}`;
      writeResult(context.io, context.json, { ...report, error }, text);
      return canceled ? ExitCode.Canceled : reportedFailureExitCode(failed?.code);
    },
  },
});
