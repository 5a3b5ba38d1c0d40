// Registry of CLI sub-commands. Add one import and one entry per command module.
import type { CliCommand } from '../command';
import { ttlvCommand } from './ttlv';

export const commands: readonly CliCommand[] = [
  ttlvCommand,
];
