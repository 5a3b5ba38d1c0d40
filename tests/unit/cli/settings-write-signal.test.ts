// A signal while `settings set` saves is noted, and the command reports the save it made: a script must
// not read CANCELED for a change that took effect.
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../../main/cli';
import type { CliIo, InterruptSignal } from '../../../main/cli/command';
import type { CliContext } from '../../../main/cli/context';
import { ExitCode } from '../../../main/cli/exit-codes';
import { latestSubscriberOnly } from '../../../main/cli/interrupt';
import { SettingsRepository } from '../../../main/settings';
import { scratchDir } from '../../support/scratch-dirs';
import { MemorySecretStore } from '../settings/memory-secret-store';

let sendSignal: (signal: InterruptSignal) => void = () => undefined;
let settings: SettingsRepository;

vi.mock('../../../main/cli/context', async (importActual) => ({
  ...(await importActual<typeof import('../../../main/cli/context')>()),
  createContext: async (io: CliIo, parsed: { json: boolean }): Promise<Partial<CliContext>> => ({ io, json: parsed.json, dataDir: scratchDir('kmip-cli-sig-'), settings }),
}));

describe('settings set and a signal while it saves', () => {
  it('saves, says the signal came while writing, and reports the save (exit 0, one JSON result)', async () => {
    const repository = new SettingsRepository({ dataDir: scratchDir('kmip-cli-sig-data-'), secrets: new MemorySecretStore(), profile: 'cli' });
    // The signal arrives in the middle of the save: after the call began, before it ends.
    settings = Object.assign(Object.create(repository) as SettingsRepository, {
      saveField: async (...args: Parameters<SettingsRepository['saveField']>) => {
        sendSignal('SIGTERM');
        return repository.saveField(...args);
      },
    });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exits: number[] = [];
    const onInterrupt = latestSubscriberOnly((listener) => {
      sendSignal = listener;
      return () => (sendSignal = () => undefined);
    });
    const code = await main(['settings', 'set', 'serverName', 'Lab', '--json'], { stdin: new PassThrough(), stdout, stderr, env: {}, onInterrupt, exit: (c) => exits.push(c) });
    expect(exits).toEqual([]);
    expect(code).toBe(ExitCode.Ok);
    expect(JSON.parse(out)).toEqual({ field: 'serverName', saved: true });
    expect(err).toContain('SIGTERM received while writing');
    expect((await repository.loadPending()).serverName).toBe('Lab');
  });
});
