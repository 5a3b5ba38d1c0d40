// Registry of CLI sub-commands. Add one import and one entry per command module.
import type { CliCommand } from '../command';
import { applyCommand } from './apply';
import { entropyCommand } from './entropy';
import { recoverCommand } from './recover-command';
import { settingsCommand } from './settings';
import { statusCommand } from './status';
import { storeCommand } from './store';
import { testCommand } from './test';
import { ttlvCommand } from './ttlv';

export const commands: readonly CliCommand[] = [
  statusCommand,
  testCommand,
  applyCommand,
  recoverCommand,
  entropyCommand,
  settingsCommand,
  storeCommand,
  ttlvCommand,
];
