// `kmip-console recover`: Recovery from External Key Server of the store in the data folder or a backup.
import { UsageError } from '../args';
import { defineCommand } from '../define-command';
import { RECOVER_OPTIONS, recoverStore } from './recover';

export const recoverCommand = defineCommand({
  name: 'recover',
  summary: 'recover the store with the Admin Key from the key server (lost local unlock, or a backup file)',
  usage: `Usage: kmip-console recover [--backup FILE] [--replace] [--applied] [--data-dir DIR] [--json]

Locates the Admin Key named in the store header (or backup) on the key server, unwraps the data key,
checks the store's integrity and re-creates the local unlock (a new key in the OS keychain).
Uses the pending settings, which become the applied ones on success (--applied: the applied ones).
  --backup FILE  restore this backup file into the data folder (a new machine, a reinstall); a
                 file, not "-" (standard input)
  --replace      let the backup replace the store in the data folder (needed whenever it holds one)
Ctrl-C (or SIGTERM, SIGHUP) stops the recovery at the step in progress until it starts writing the store.
Exit: 0 recovered, 1 failed (no such key on this server, wrong key), 3 bad settings, or a file that
is missing, damaged or no store, 4 key server unreachable, 5 keychain or secret unavailable,
130 canceled.`,
  action: {
    options: { ...RECOVER_OPTIONS, backup: { type: 'string' } },
    run: (context, args) => {
      // Only a backup can replace a store; recovering the store in place replaces nothing.
      if (args.flags.replace && args.strings.backup === undefined) {
        throw new UsageError('--replace goes with --backup FILE: it lets that backup replace the store in the data folder. Leave it out to recover the store in place.');
      }
      return recoverStore('recover', context, args, args.strings.backup);
    },
  },
});
