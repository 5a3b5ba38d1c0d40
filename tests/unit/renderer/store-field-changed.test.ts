// The dialog store when a save, Load File or Clear names the field's revision it showed (explore report
// s18-x4, F3) and main refuses it because another window or the CLI changed that field since: the window
// shows what is saved now, says so in a notice that names the field, and keeps what the operator typed.
// And when the applied settings changed elsewhere (review s18-r2 F3): the window says so, but not after
// its own Apply. Against a window.kmip that answers as main would, when the test says so.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApplyResult, IpcChannel, IpcError, SettingsView } from '../../../common/ipc';
import { defaultSettings, type Settings } from '../../../common/settings';
import { scalarFieldState } from '../../../renderer/src/state/field-state';
import { privateKey, stored } from '../common/fixtures';
import { loadStoreWithHeldIpc, settle, type HeldCall, type HeldIpcStore } from './held-ipc-store';
import { settingsView } from './settings-view';

let ipc: HeldIpcStore;
let store: HeldIpcStore['store'];

const base: Partial<Settings> = { serverName: 'lab', hostName: 'kms.example' };

function view(pending: Partial<Settings> = {}, applied: Partial<Settings> | null = null): SettingsView {
  return settingsView({ ...defaultSettings(), ...base, ...pending }, applied && { ...defaultSettings(), ...base, ...applied });
}

function callsTo(channel: IpcChannel): HeldCall[] {
  return ipc.callsTo(channel);
}

const fieldChanged = (field: string, message: string): { ok: false; error: IpcError } => ({ ok: false, error: { code: 'FIELD_CHANGED', field, message } });

beforeAll(async () => {
  ipc = await loadStoreWithHeldIpc();
  store = ipc.store;
});

beforeEach(() => {
  ipc.reset(view());
});

describe('a save refused because the field was changed elsewhere', () => {
  const message = 'Description was changed outside this window (in another window or by a kmip-console command): it now reads "from A". Your value was not saved; save again to replace it.';

  it('sends the revision of the field as the window shows it', async () => {
    const shown = store.getState().settings!.fieldRevisions.description;
    store.getState().setDraft('description', 'from B');
    const saving = store.getState().saveField('description');
    expect(callsTo('settings:saveField')[0]?.request).toEqual({ id: 'description', value: 'from B', basedOn: shown });
    callsTo('settings:saveField')[0]!.answer({ ok: true, value: view({ description: 'from B' }) });
    await saving;
  });

  it('shows the value saved now, names the field in a notice, and keeps what was typed, unsaved', async () => {
    store.getState().setDraft('description', 'from B');
    const saving = store.getState().saveField('description');
    callsTo('settings:saveField')[0]!.answer(fieldChanged('description', message));
    await settle();
    callsTo('settings:get').at(-1)!.answer({ ok: true, value: view({ description: 'from A' }) });
    await saving;
    const state = store.getState();
    expect(state.settings?.pending.description).toBe('from A');
    expect(state.drafts.description).toBe('from B');
    expect(scalarFieldState('description', state.drafts.description, state.settings!.pending, state.settings!.applied)).toBe('unsaved');
    expect(state.notice).toEqual({ severity: 'warning', text: message });
    expect(state.fieldErrors.description).toBeUndefined();
  });

  it('sends the new revision when saved again, so that the save replaces the other change', async () => {
    store.getState().setDraft('description', 'from B');
    const refused = store.getState().saveField('description');
    callsTo('settings:saveField')[0]!.answer(fieldChanged('description', message));
    await settle();
    const now = view({ description: 'from A' });
    callsTo('settings:get').at(-1)!.answer({ ok: true, value: now });
    await refused;
    const saving = store.getState().saveField('description');
    expect(callsTo('settings:saveField')[1]?.request).toEqual({ id: 'description', value: 'from B', basedOn: now.fieldRevisions.description });
    callsTo('settings:saveField')[1]!.answer({ ok: true, value: view({ description: 'from B' }) });
    await saving;
  });

  it('names the other fields changed elsewhere after it, and the refused one only once', async () => {
    store.getState().setDraft('description', 'from B');
    const saving = store.getState().saveField('description');
    callsTo('settings:saveField')[0]!.answer(fieldChanged('description', message));
    await settle();
    callsTo('settings:get').at(-1)!.answer({ ok: true, value: view({ description: 'from A', timeout: 20 }) });
    await saving;
    expect(store.getState().notice?.text).toBe(
      `${message} Timeout was changed outside this window (in another window or by a kmip-console command): it shows what is saved now.`,
    );
  });

  it('keeps a typed password after a refused save of the password', async () => {
    store.getState().setPasswordDraft('typed-here');
    const saving = store.getState().saveField('password');
    callsTo('settings:saveField')[0]!.answer(fieldChanged('password', 'Password was changed outside this window (in another window or by a kmip-console command): a password was saved since this window showed it. Your password was not saved; save again to replace it.'));
    await settle();
    callsTo('settings:get').at(-1)!.answer({ ok: true, value: view({ password: { stored: true, savedAt: '2026-01-01T00:00:00.000Z' } }) });
    await saving;
    expect(store.getState().passwordDraft).toBe('typed-here');
    expect(store.getState().notice?.text).toMatch(/^Password was changed outside this window \(in another window or by a kmip-console command\)/);
  });
});

describe('Load File and Clear', () => {
  it("keeps the file's typed password after a refused Load File, and shows the file loaded elsewhere", async () => {
    store.getState().setFileForm('caCert', { password: 'file-password' });
    const loading = store.getState().loadFile('caCert');
    expect(callsTo('settings:loadFile')[0]?.request).toMatchObject({ slot: 'caCert', basedOn: view().fieldRevisions.caCert });
    callsTo('settings:loadFile')[0]!.answer(fieldChanged('caCert', 'CA Trusted Cert was changed outside this window (in another window or by a kmip-console command): it now holds "ca-bundle.pem". Your file was not loaded; load it again to replace it.'));
    await settle();
    callsTo('settings:get').at(-1)!.answer({ ok: true, value: view({ caCert: stored('caCert', { sourceName: 'ca-bundle.pem' }) }) });
    await loading;
    expect(store.getState().fileForms.caCert.password).toBe('file-password');
    expect(store.getState().settings?.pending.caCert?.details.sourceName).toBe('ca-bundle.pem');
    expect(store.getState().notice).toMatchObject({ severity: 'warning', text: expect.stringMatching(/^CA Trusted Cert was changed outside this window \(in another window or by a kmip-console command\)/) });
    expect(store.getState().fieldErrors.caCert).toBeUndefined();
  });

  it("sends a Clear of Cert with the Cert's revision that this window's own Load File of Key answered with", async () => {
    const withCert = view({ clientCert: stored('clientCert') });
    ipc.reset(withCert);
    const loadingKey = store.getState().loadFile('clientKey');
    const clearing = store.getState().clearFile('clientCert');
    await settle();
    expect(callsTo('settings:clearFile')).toHaveLength(0); // waits: the key may choose the Cert file's leaf again
    const afterKey = view({ clientCert: stored('clientCert', { sourceName: 'chain.pem' }), clientKey: stored('clientKey', { privateKey: privateKey() }) });
    callsTo('settings:loadFile')[0]!.answer({ ok: true, value: { canceled: false, details: afterKey.pending.clientKey!.details, settings: afterKey } });
    await loadingKey;
    await settle();
    expect(callsTo('settings:clearFile')[0]?.request).toEqual({ slot: 'clientCert', basedOn: afterKey.fieldRevisions.clientCert });
    callsTo('settings:clearFile')[0]!.answer({ ok: true, value: view({ clientKey: afterKey.pending.clientKey }) });
    await clearing;
  });
});

describe('the applied settings changed elsewhere', () => {
  it('says so when the window looks again after the first Apply, made elsewhere', async () => {
    ipc.reset(view({ description: 'saved here' }));
    const looking = store.getState().lookAgain();
    callsTo('settings:get').at(-1)!.answer({ ok: true, value: view({ description: 'saved here' }, { description: 'saved here' }) });
    await looking;
    expect(store.getState().notice).toEqual({
      severity: 'warning',
      text: 'Server Name, Host Name, Description were applied outside this window (in another window or by a kmip-console command): the window shows what is applied now.',
    });
  });

  it('says so when the settings applied elsewhere are the defaults', async () => {
    ipc.reset(settingsView(defaultSettings(), null));
    const looking = store.getState().lookAgain();
    callsTo('settings:get').at(-1)!.answer({ ok: true, value: settingsView(defaultSettings(), defaultSettings()) });
    await looking;
    expect(store.getState().notice?.text).toBe(
      'The settings were applied outside this window (in another window or by a kmip-console command): the window shows what is applied now.',
    );
  });

  it('names the fields whose applied value changed', async () => {
    ipc.reset(view({ description: 'saved here' }, {}));
    const looking = store.getState().lookAgain();
    callsTo('settings:get').at(-1)!.answer({ ok: true, value: view({ description: 'saved here' }, { description: 'saved here' }) });
    await looking;
    expect(store.getState().notice?.text).toBe(
      'Description was applied outside this window (in another window or by a kmip-console command): the window shows what is applied now.',
    );
  });

  it("says nothing after this window's own Apply, nor when it looks again while that Apply runs", async () => {
    ipc.reset(view({ description: 'saved here' }, {}));
    const applied = view({ description: 'saved here' }, { description: 'saved here' });
    const applying = store.getState().apply();
    await settle();
    const looking = store.getState().lookAgain(); // the window gets the focus back while its Apply commits
    callsTo('settings:get').at(-1)!.answer({ ok: true, value: applied });
    await looking;
    const result: ApplyResult = { steps: [], settings: applied, adminKeyGeneration: 1, adminKeyName: 'gen 1', entropy: 'disabled' };
    callsTo('settings:apply')[0]!.answer({ ok: true, value: result });
    await settle();
    callsTo('app:recoveryState').at(-1)?.answer({ ok: true, value: { state: 'ok' } });
    await applying;
    expect(store.getState().notice).toBeNull();
  });

  it("says nothing after this window's own Apply, which answers with the settings it applied", async () => {
    ipc.reset(view({ description: 'saved here' }, {}));
    const applied = view({ description: 'saved here' }, { description: 'saved here' });
    const applying = store.getState().apply();
    await settle();
    const result: ApplyResult = { steps: [], settings: applied, adminKeyGeneration: 2, adminKeyName: 'gen 2', entropy: 'disabled' };
    callsTo('settings:apply')[0]!.answer({ ok: true, value: result });
    await settle();
    callsTo('app:recoveryState').at(-1)?.answer({ ok: true, value: { state: 'ok' } });
    await applying;
    expect(store.getState().settings?.applied?.description).toBe('saved here');
    expect(store.getState().notice).toBeNull();
  });
});
