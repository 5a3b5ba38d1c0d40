// Registry of CLI sub-commands. Add one import and one entry per command module.
import type { CliCommand } from '../command';

export const commands: readonly CliCommand[] = [];
