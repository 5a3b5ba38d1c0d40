// "-" given as a path: standard input or output, as in most Unix tools (a backup piped through ssh or
// gpg). Where a command takes only a file, "-" is refused rather than taken for a file named "-",
// which would be created in, or looked for in, the working folder. Such a file is named ./-
import { UsageError } from './args';

export function isStandardStream(filePath: string): boolean {
  return filePath === '-';
}

/** Refuses "-" as `what` (e.g. "the backup file"), which the command reads as a file: `reason` says why. */
export function refuseStandardStream(filePath: string | undefined, what: string, reason: string): void {
  if (filePath === undefined || !isStandardStream(filePath)) return;
  throw new UsageError(`"-" (standard input) is not taken as ${what}: ${reason}. A file called "-" is named ./-`, false);
}

/** Refuses writing `what` to standard output ("-") together with --json, whose result goes there too. */
export function refuseStandardOutputWithJson(json: boolean, what: string): void {
  if (!json) return;
  throw new UsageError(`"-" writes ${what} to standard output, where --json writes its result: give a FILE, or leave out --json.`, false);
}
