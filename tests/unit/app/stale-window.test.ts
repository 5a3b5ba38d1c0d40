// A window acts on the pending settings it shows (explore report s18-x4, F1 and F2): when another window
// or a kmip-console command saved others since, Apply, Revert, Reset and recovery are refused
// (SETTINGS_CHANGED) and change nothing, instead of applying or dropping values the operator never saw.
import { beforeEach, expect, it } from 'vitest';
import type { SettingsView } from '../../../common/ipc';
import { SettingsRepository } from '../../../main/settings';
import { scratchDir } from '../../support/scratch-dirs';
import { MemorySecretStore } from '../settings/memory-secret-store';
import { shownRevision, windowIpc, type WindowIpc } from './window-ipc';

let ipc: WindowIpc;
/** the same data folder as the window's, as a kmip-console command sees it */
let cli: SettingsRepository;

beforeEach(async () => {
  const dataDir = scratchDir('kmip-stale-window-');
  const secrets = new MemorySecretStore();
  cli = new SettingsRepository({ dataDir, secrets });
  await cli.saveField('serverName', 'lab');
  await cli.saveField('hostName', '127.0.0.1');
  ipc = windowIpc(dataDir, secrets, { settings: new SettingsRepository({ dataDir, secrets }) });
});

async function pending(): Promise<SettingsView['pending']> {
  return (await cli.view()).pending;
}

it.each([
  ['settings:apply', { runId: 'apply-1' }, 'applied'],
  ['eks:recover', { runId: 'recover-1', source: 'store' }, 'applied'],
  ['settings:revert', {}, 'reverted'],
  ['settings:reset', {}, 'reset'],
] as const)('refuses %s when the pending settings changed since the window showed them, and changes nothing', async (channel, request, done) => {
  const shown = await shownRevision(ipc);
  await cli.saveField('description', 'saved by the command line meanwhile');
  const before = await cli.view();
  const answer = await ipc(channel, { ...request, pendingRevision: shown });
  expect(answer).toMatchObject({ ok: false, error: { code: 'SETTINGS_CHANGED', message: expect.stringContaining(`so nothing was ${done}`) } });
  expect(await cli.view()).toEqual(before);
  expect((await pending()).description).toBe('saved by the command line meanwhile');
});

it('reverts and resets what the window shows when nothing changed elsewhere', async () => {
  await cli.saveField('description', 'shown in the window');
  expect(await ipc('settings:revert', { pendingRevision: await shownRevision(ipc) })).toMatchObject({ ok: true });
  expect((await pending()).description).toBe('');
  await cli.saveField('description', 'shown again');
  expect(await ipc('settings:reset', { pendingRevision: await shownRevision(ipc) })).toMatchObject({ ok: true });
  expect((await pending()).serverName).toBe('');
});
