// A window acts on the settings it shows (explore report s18-x4, F1 and F2): when another window or a
// kmip-console command saved or applied others since, Apply, Revert, Reset and recovery are refused
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
  const answer = await ipc(channel, { ...request, settingsRevision: shown });
  expect(answer).toMatchObject({ ok: false, error: { code: 'SETTINGS_CHANGED', message: expect.stringContaining(`so nothing was ${done}`) } });
  expect(await cli.view()).toEqual(before);
  expect((await pending()).description).toBe('saved by the command line meanwhile');
});

// Revert installs the applied settings, and the window's chips and change list compare with them (review
// s18-r2 F3): an Apply made elsewhere (here its last step, as `kmip-console apply` ends) makes them stale too.
it.each([
  ['settings:apply', { runId: 'apply-2' }, 'applied'],
  ['eks:recover', { runId: 'recover-2', source: 'store' }, 'applied'],
  ['settings:revert', {}, 'reverted'],
  ['settings:reset', {}, 'reset'],
] as const)('refuses %s when the settings were applied elsewhere since the window showed them, the pending ones unchanged', async (channel, request, done) => {
  await cli.saveField('description', 'saved, not applied, as the window shows');
  const shown = await shownRevision(ipc);
  await cli.commitApply(await pending());
  const before = await cli.view();
  expect(before.pending.description).toBe('saved, not applied, as the window shows');
  const answer = await ipc(channel, { ...request, settingsRevision: shown });
  expect(answer).toMatchObject({ ok: false, error: { code: 'SETTINGS_CHANGED', message: expect.stringContaining(`so nothing was ${done}`) } });
  expect(await cli.view()).toEqual(before);
});

it('reverts and resets what the window shows when nothing changed elsewhere', async () => {
  await cli.saveField('description', 'shown in the window');
  expect(await ipc('settings:revert', { settingsRevision: await shownRevision(ipc) })).toMatchObject({ ok: true });
  expect((await pending()).description).toBe('');
  await cli.saveField('description', 'shown again');
  expect(await ipc('settings:reset', { settingsRevision: await shownRevision(ipc) })).toMatchObject({ ok: true });
  expect((await pending()).serverName).toBe('');
});
