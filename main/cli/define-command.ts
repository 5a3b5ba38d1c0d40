// Builds a CliCommand from option specs and an action: parses (refusing secrets in argv), opens the
// context, runs, and turns any failure into its message and documented exit code.
import { parseCommandArgs, refuseSecretArguments, wantsJson, UsageError, type OptionSpec, type ParsedArgs, type PositionalSpec } from './args';
import { closestToNamePart, quotableName } from './closest-name';
import type { CliCommand, CliIo } from './command';
import { createContext, type CliContext } from './context';
import { reportFailure } from './output';

export interface CommandAction {
  options?: OptionSpec;
  positionals?: PositionalSpec;
  run(context: CliContext, args: ParsedArgs): Promise<number>;
}

export function defineCommand(spec: { name: string; summary: string; usage: string } & (
  | { action: CommandAction }
  | { subcommands: Record<string, CommandAction> }
)): CliCommand {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    async run(args: string[], io: CliIo): Promise<number> {
      const json = wantsJson(args);
      let label = spec.name;
      try {
        refuseSecretArguments(args);
        let action: CommandAction;
        let rest = args;
        if ('action' in spec) {
          action = spec.action;
        } else {
          const [sub, ...subArgs] = args;
          const chosen = sub === undefined ? undefined : spec.subcommands[sub];
          if (!chosen) {
            const names = Object.keys(spec.subcommands);
            const closest = sub === undefined ? undefined : closestToNamePart(sub, names);
            const problem =
              sub === undefined
                ? 'missing the subcommand'
                : sub.startsWith('-')
                  ? 'the subcommand comes before the options'
                  : `unknown subcommand '${quotableName(sub)}'${closest ? ` (did you mean ${closest}?)` : ''}`;
            throw new UsageError(`${problem}; the subcommands of ${spec.name} are ${names.join(', ')}`);
          }
          label = `${spec.name} ${sub}`;
          action = chosen;
          rest = subArgs;
        }
        const parsed = parseCommandArgs(label, rest, action.options ?? {}, action.positionals ?? { names: [], min: 0 });
        return await action.run(await createContext(io, parsed), parsed);
      } catch (error) {
        return reportFailure(io, json, label, error, spec.usage);
      }
    },
  };
}
