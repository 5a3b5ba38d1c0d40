// Command-line parsing shared by the commands (node:util parseArgs), with the global options
// --data-dir and --json, and the refusal of secrets on the command line.
import { parseArgs } from 'node:util';
import { closestName } from './closest-name';

export class UsageError extends Error {
  readonly code = 'USAGE';

  constructor(
    message: string,
    /** false when the message says all there is to say (the usage text would bury it) */
    readonly showUsage = true,
  ) {
    super(message);
  }
}

/** Where secrets come from instead of argv; shown whenever one is refused. */
export const SECRET_SOURCES =
  'Secrets never come from command-line arguments (other users can read them in the process list). They come from ' +
  'the OS keychain (saved with `kmip-console settings set password`), a hidden prompt when run in a terminal, or ' +
  'these environment variables: KMIP_CONSOLE_PASSWORD (KMIP password), KMIP_CONSOLE_CLIENT_CERT_PASSWORD, ' +
  'KMIP_CONSOLE_CLIENT_KEY_PASSWORD, KMIP_CONSOLE_CA_CERT_PASSWORD, KMIP_CONSOLE_SERVER_CERT_PASSWORD, ' +
  'KMIP_CONSOLE_SERVER_KEY_PASSWORD (file passwords), KMIP_CONSOLE_SECRET_VALUE (value for `store add`).';

const SECRET_OPTION = /^--?(?:[a-z0-9-]*-)?(?:password|passwd|passphrase|pass|pw|secret|pin|token|value)(?:=|$)/i;

/** Throws UsageError when an argument looks like a secret passed as an option (--password=…, --key-passphrase …). */
export function refuseSecretArguments(args: readonly string[]): void {
  const offending = args.find((arg) => SECRET_OPTION.test(arg));
  if (offending) {
    throw new UsageError(`refusing ${offending.split('=')[0]}: ${SECRET_SOURCES}`, false);
  }
}

/** The arguments before `--`: after it, `-h` or `--json` is a value (`settings set description -- -h`). */
export function optionsPart(args: readonly string[]): readonly string[] {
  const end = args.indexOf('--');
  return end === -1 ? args : args.slice(0, end);
}

/**
 * Whether failures are reported as JSON: --json among the options, also when it was given a value
 * (`--json=1`, refused as a usage error): a script that asked for JSON gets its failure in JSON.
 */
export function wantsJson(args: readonly string[]): boolean {
  return optionsPart(args).some((arg) => arg === '--json' || arg.startsWith('--json='));
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: false }>;

export interface ParsedArgs {
  positionals: string[];
  strings: Record<string, string | undefined>;
  flags: Record<string, boolean>;
  dataDirOption: string | undefined;
  json: boolean;
}

const GLOBAL_OPTIONS: OptionSpec = { 'data-dir': { type: 'string' }, json: { type: 'boolean' } };

/** A negative number, e.g. `settings set timeout -1`: a value, never an option (no option is a digit). */
const NEGATIVE_NUMBER = /^-\d/;
/** Stands in for a negative number while parseArgs runs (it would take "-1" for option -1); cannot be typed. */
const NEGATIVE_STAND_IN = '\u0000negative:';

type OptionToken = Extract<NonNullable<ReturnType<typeof parseArgs>['tokens']>[number], { kind: 'option' }>;

/** A value that parseArgs would take for an option (`--file --json`); "-" alone is a value (standard input). */
function looksLikeOption(value: string): boolean {
  return value.length > 1 && value.startsWith('-');
}

/**
 * What parseArgs checks in strict mode, with messages that name the option and the command and say
 * what to do instead of Node's. Also refuses an option given twice: parseArgs keeps the last value
 * silently, and `--format pem --format p12` must not guess which was meant.
 */
function checkOptions(tokens: readonly OptionToken[], options: OptionSpec, command: string): void {
  const help = `see \`kmip-console ${command} --help\``;
  const seen = new Set<string>();
  for (const token of tokens) {
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!spec) {
      const names = Object.keys(options);
      const closest = token.rawName.startsWith('--') ? closestName(token.name, names) : undefined;
      throw new UsageError(
        `unknown option ${token.rawName}${closest ? `: did you mean --${closest}?` : '.'} ` +
          `Options of ${command}: ${names.map((name) => `--${name}`).join(', ')}; ${help}.`,
        false,
      );
    }
    if (spec.type === 'string' && (token.value === undefined || (!token.inlineValue && looksLikeOption(token.value)))) {
      throw new UsageError(`${token.rawName} is missing its value: give ${token.rawName} VALUE (or ${token.rawName}=VALUE when the value begins with "-"); ${help}.`, false);
    }
    if (spec.type === 'boolean' && token.value !== undefined) {
      throw new UsageError(`${token.rawName} takes no value: give ${token.rawName} alone, without "=…"; ${help}.`, false);
    }
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once: give it once`);
    seen.add(token.name);
  }
}

/** The arguments a command takes after its name, named as its usage names them (e.g. "NAME"); the first `min` are required. */
export interface PositionalSpec {
  names: readonly string[];
  min: number;
}

/** Parses the arguments of `command` (e.g. "store get", for messages) after its name. */
export function parseCommandArgs(command: string, args: string[], options: OptionSpec, positionals: PositionalSpec): ParsedArgs {
  const shielded = args.map((arg) => (NEGATIVE_NUMBER.test(arg) ? `${NEGATIVE_STAND_IN}${arg}` : arg));
  const known = { ...options, ...GLOBAL_OPTIONS };
  // Not strict: checkOptions refuses what strict mode would, in words of this tool.
  const parsed = parseArgs({ args: shielded, options: known, allowPositionals: true, strict: false, tokens: true });
  checkOptions(parsed.tokens.filter((token) => token.kind === 'option'), known, command);
  const unshield = (value: string): string => (value.startsWith(NEGATIVE_STAND_IN) ? value.slice(NEGATIVE_STAND_IN.length) : value);
  parsed.positionals = parsed.positionals.map(unshield);
  const values = Object.fromEntries(Object.entries(parsed.values).map(([name, value]) => [name, typeof value === 'string' ? unshield(value) : value]));
  const given = parsed.positionals.length;
  const { names, min } = positionals;
  if (given < min) throw new UsageError(`missing ${names.slice(given, min).join(' and ')}`);
  if (given > names.length) {
    // Not quoted back: an extra argument may be a secret typed where a prompt would have asked for it.
    const takes = names.length === 0 ? 'takes no argument' : `takes ${names.join(' ')} only`;
    throw new UsageError(`${given - names.length} argument(s) too many: ${command} ${takes}`);
  }
  const strings: Record<string, string | undefined> = {};
  const flags: Record<string, boolean> = {};
  for (const [name, spec] of Object.entries(options)) {
    const value = values[name];
    if (spec.type === 'string') strings[name] = typeof value === 'string' ? value : undefined;
    else flags[name] = value === true;
  }
  const dataDir = values['data-dir'];
  return {
    positionals: parsed.positionals,
    strings,
    flags,
    dataDirOption: typeof dataDir === 'string' ? dataDir : undefined,
    json: values.json === true,
  };
}
