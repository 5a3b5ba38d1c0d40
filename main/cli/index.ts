// Entry point of the operator command line (`kmip-console`).
import { errorMessageToShow } from '../../common/app-error';
import { optionsPart, UsageError, wantsJson } from './args';
import { closestToNamePart, quotableName } from './closest-name';
import { commands } from './commands/index';
import type { CliIo, InterruptSignal } from './command';
import { ExitCode } from './exit-codes';
import { endOnInterrupt, latestSubscriberOnly } from './interrupt';
import { reportFailure } from './output';
import { endOnOutputErrors } from './output-errors';

function helpText(): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: kmip-console <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `kmip-console <command> --help` for a command\'s options.',
    'Common options: --data-dir DIR (default: the app\'s data folder, or $KMIP_CONSOLE_DATA_DIR; ttlv ignores it), --json.',
    'Secrets never come from arguments: OS keychain, hidden prompt, or KMIP_CONSOLE_* environment variables',
    '(see `kmip-console settings --help`).',
    'A path "-" is standard input or output where a command\'s usage says so (a file called "-" is ./-).',
    'Exit codes: 0 ok, 1 action failed, 2 usage error, 3 bad input data, 4 key server unreachable,',
    '            5 keychain or secret unavailable, 70 internal error, 74 output not written (disk full,',
    '            I/O error: the command ran, its output is lost), 130 canceled (Ctrl-C, SIGTERM, SIGHUP),',
    '            141 standard output closed early (`| head`).',
  ].join('\n');
}

/** Why `name` (the first argument) is not a command, with the commands there are. */
function unknownCommand(name: string): UsageError {
  const names = commands.map((c) => c.name);
  const closest = closestToNamePart(name, names);
  // Only the option's name: what follows "=" could be anything, a secret included.
  const problem = name.startsWith('-')
    ? `the command comes before the options, as in \`kmip-console <command> ${name.split('=')[0]}\``
    : `unknown command '${quotableName(name)}'${closest ? ` (did you mean ${closest}?)` : ''}`;
  return new UsageError(`${problem}; the commands are ${names.join(', ')}`);
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  // `help store` is `store --help`; `help bogus --json` still answers in JSON.
  if (name === 'help' && rest.length > 0) return main([rest[0]!, '--help', ...rest.slice(1)], io);
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    // Asked for, the help is the result (stdout); with no command at all, it explains a usage error (stderr).
    (name ? io.stdout : io.stderr).write(`${helpText()}\n`);
    return name ? ExitCode.Ok : ExitCode.Usage;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) return reportFailure(io, wantsJson(argv), undefined, unknownCommand(name), helpText());
  const options = optionsPart(rest);
  if (options.includes('--help') || options.includes('-h')) {
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return ExitCode.Ok;
  }
  const stopDefault = endOnInterrupt(io, name, wantsJson(rest));
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.stderr.write(`kmip-console ${name}: internal error: ${errorMessageToShow(error)}\n`);
    return ExitCode.Internal;
  } finally {
    stopDefault();
  }
}

const INTERRUPT_SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The CliIo of this process: its standard streams (a failed write ends it, see endOnOutputErrors), environment, signals and exit. */
export function processIo(): CliIo {
  endOnOutputErrors(process.stdout, process.stderr, (code) => process.exit(code));
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onInterrupt: latestSubscriberOnly((listener) => {
      for (const signal of INTERRUPT_SIGNALS) process.on(signal, listener);
      return () => {
        for (const signal of INTERRUPT_SIGNALS) process.off(signal, listener);
      };
    }),
    exit: (code) => process.exit(code),
  };
}
