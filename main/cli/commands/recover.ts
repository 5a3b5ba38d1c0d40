// `kmip-console recover` (and `store restore`): Recovery from External Key Server.
import path from 'node:path';
import { EksError, runRecover, type RecoverRequest } from '../../eks';
import { UsageError, type ParsedArgs } from '../args';
import { connectionFor, type CliContext } from '../context';
import { ExitCode } from '../exit-codes';
import { cancelableByCtrlC } from '../interrupt';
import { progressPrinter, writeResult } from '../output';
import { refuseStandardStream } from '../standard-stream-path';

/**
 * Recovers the store in the data folder, or restores `backupPath` into it, with the pending settings
 * (which then become the applied ones) or, with --applied, the applied settings. `command` names
 * the command in what Ctrl-C prints.
 */
export async function recoverStore(command: string, context: CliContext, args: ParsedArgs, backupPath: string | undefined): Promise<number> {
  // An unset "$BACKUP" must not turn a restore into a recovery in place (which applies the pending settings).
  if (backupPath !== undefined && backupPath.trim() === '') {
    throw new UsageError('the backup file path is empty: give the path of the backup file to restore (`kmip-console recover` without --backup recovers the store in place).', false);
  }
  refuseStandardStream(backupPath, 'the backup file', 'restoring reads the backup from a file; save it to a file first, and give its path');
  const useApplied = args.flags.applied === true;
  if (!useApplied) {
    const check = await context.settings.assertReadyToApply(await context.settings.loadPending());
    for (const warning of check.warnings) context.io.stderr.write(`warning: ${warning.message}\n`);
  }
  const { settings, connection } = await connectionFor(context, useApplied ? 'applied' : 'pending');
  const request: RecoverRequest = {
    dataDir: context.dataDir,
    unlockKeys: context.unlockKeys,
    connection,
    source: backupPath ? { kind: 'backup', path: path.resolve(backupPath) } : { kind: 'store' },
    replaceStore: args.flags.replace === true,
    ...(useApplied
      ? {}
      : {
          commitSettings: async () => {
            await context.settings.commitApply(settings);
          },
        }),
  };
  const result = await cancelableByCtrlC(context.io, command, (cancel) => runRecover(request, progressPrinter(context.io, connection.timeoutMs), cancel)).catch(
    (error: unknown) => {
      // "Confirm replacing it" is the dialog's checkbox; here it is an option.
      if (error instanceof EksError && REPLACE_CONFIRMATIONS.has(error.code)) {
        throw new EksError(error.code, `${error.message} To confirm on the command line, run it again with --replace.`, error.steps, { cause: error });
      }
      throw error;
    },
  );
  writeResult(
    context.io,
    context.json,
    result,
    `Recovered store ${result.storeId} (Admin Key generation ${result.adminKeyGeneration}, ${result.objectCount} objects); the local unlock is re-created.`,
  );
  return ExitCode.Ok;
}

/** Refusals that --replace overrides. */
const REPLACE_CONFIRMATIONS = new Set(['BACKUP_REPLACES_STORE', 'BACKUP_OF_OTHER_STORE']);

export const RECOVER_OPTIONS = { applied: { type: 'boolean' }, replace: { type: 'boolean' } } as const;
