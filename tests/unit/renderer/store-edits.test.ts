// The dialog store against a window.kmip that answers as main would, when the test says so: what is
// typed while a Save is on its way stays, a field saves once at a time, a Test refusing an on-screen
// value marks that field, Format follows the loaded file, and the leave guard names what leaving would lose.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IpcChannel, SettingsView } from '../../../common/ipc';
import { defaultSettings, type Settings } from '../../../common/settings';
import { stored } from '../common/fixtures';
import { loadStoreWithHeldIpc, settle, type HeldCall, type HeldIpcStore } from './held-ipc-store';
import { settingsView } from './settings-view';

let ipc: HeldIpcStore;
let store: HeldIpcStore['store'];
let leaveReason: typeof import('../../../renderer/src/state/leave-guard').leaveReason;

function view(pending: Partial<Settings> = {}): SettingsView {
  const settings = { ...defaultSettings(), ...pending };
  return settingsView(settings, null);
}

function callsTo(channel: IpcChannel): HeldCall[] {
  return ipc.callsTo(channel);
}

beforeAll(async () => {
  ipc = await loadStoreWithHeldIpc();
  store = ipc.store;
  leaveReason = (await import('../../../renderer/src/state/leave-guard')).leaveReason;
});

beforeEach(() => {
  ipc.reset(view({ serverName: 'lab' }));
});

describe('saveField', () => {
  it('keeps what was typed while the Save was on its way', async () => {
    store.getState().setDraft('serverName', 'alpha');
    const saving = store.getState().saveField('serverName');
    store.getState().setDraft('serverName', 'alphabeta');
    callsTo('settings:saveField')[0]!.answer({ ok: true, value: view({ serverName: 'alpha' }) });
    await saving;
    expect(store.getState().drafts.serverName).toBe('alphabeta');
    expect(store.getState().settings?.pending.serverName).toBe('alpha');
  });

  it('shows the saved value when nothing was typed meanwhile', async () => {
    store.getState().setDraft('serverName', '  alpha ');
    const saving = store.getState().saveField('serverName');
    callsTo('settings:saveField')[0]!.answer({ ok: true, value: view({ serverName: 'alpha' }) });
    await saving;
    expect(store.getState().drafts.serverName).toBe('alpha');
  });

  it('keeps a password typed while the previous one was being stored', async () => {
    store.getState().setPasswordDraft('first');
    const saving = store.getState().saveField('password');
    store.getState().setPasswordDraft('first-and-more');
    callsTo('settings:saveField')[0]!.answer({ ok: true, value: view() });
    await saving;
    expect(store.getState().passwordDraft).toBe('first-and-more');
  });

  it('sends one save per field at a time, however often Enter is pressed', async () => {
    store.getState().setPasswordDraft('secret');
    const saves = [store.getState().saveField('password'), store.getState().saveField('password'), store.getState().saveField('password')];
    expect(callsTo('settings:saveField')).toHaveLength(1);
    callsTo('settings:saveField')[0]!.answer({ ok: true, value: view() });
    await Promise.all(saves);
    expect(callsTo('settings:saveField')).toHaveLength(1);
    expect(store.getState().passwordDraft).toBe('');
  });
});

describe('test', () => {
  it('shows a refused on-screen value at its field, as Apply does', async () => {
    store.getState().setDraft('port', '99999');
    const running = store.getState().test();
    const message = 'Port must be a whole number from 1 to 65535.';
    callsTo('eks:test')[0]!.answer({ ok: false, error: { code: 'VALIDATION_FAILED', message, field: 'port' } });
    await running;
    expect(store.getState().run).toMatchObject({ status: 'failed', error: { message } });
    expect(store.getState().fieldErrors.port).toBe(message);
  });
});

describe('file Format', () => {
  it('shows the format of the file loaded in each slot when the dialog opens', async () => {
    const p12 = { ...stored('clientCert'), format: 'p12' as const };
    const starting = store.getState().init();
    callsTo('settings:get')[0]!.answer({ ok: true, value: view({ clientCert: p12, caCert: stored('caCert') }) });
    callsTo('app:recoveryState')[0]!.answer({ ok: true, value: { state: 'no-store' } });
    await starting;
    const forms = store.getState().fileForms;
    expect(forms.clientCert.format).toBe('p12');
    expect(forms.caCert.format).toBe('pem');
  });
});

describe('leaveReason', () => {
  it('is null with everything saved, nothing typed and no run going', () => {
    expect(leaveReason(store.getState())).toBeNull();
    expect(leaveReason({ ...store.getState(), run: { kind: 'apply', runId: 'a', status: 'failed', steps: [] } })).toBeNull();
    // Blanks in a name alone are nothing to lose; the key size is a choice, not typed input.
    store.getState().setObjectForms({ secretName: '  ', keyName: ' ', keySize: 128 });
    expect(leaveReason(store.getState())).toBeNull();
  });

  it('names the unsaved fields, the typed passwords and the running run', () => {
    store.getState().setDraft('serverName', 'other');
    store.getState().setPasswordDraft('typed kmip password');
    store.getState().setFileForm('clientKey', { password: 'key password' });
    const reason = leaveReason({ ...store.getState(), run: { kind: 'apply', runId: 'a', status: 'running', steps: [] } });
    expect(reason).toBe(
      'Closing or reloading now would lose unsaved changes to Server Name, Password; the password typed for Key, not loaded with a file. ' +
        'The running Apply goes on in the background: its result is shown when the window is back.',
    );
    expect(reason).not.toMatch(/typed kmip password|key password/);
  });

  it("names what is typed in the object store's forms, never the secret", () => {
    store.getState().setObjectForms({ secretName: 'db-password', secretValue: 'hunter2-value' });
    expect(leaveReason(store.getState())).toBe('Closing or reloading now would lose the name and value typed in Object store › Add a secret, not added.');
    store.getState().setObjectForms({ secretName: '' });
    expect(leaveReason(store.getState())).toBe('Closing or reloading now would lose the value typed in Object store › Add a secret, not added.');
    store.getState().setObjectForms({ secretName: 'db-password', secretValue: '' });
    expect(leaveReason(store.getState())).toBe('Closing or reloading now would lose the name typed in Object store › Add a secret, not added.');
    store.getState().setObjectForms({ secretName: '', keyName: 'backup-key' });
    expect(leaveReason(store.getState())).toBe('Closing or reloading now would lose the name typed in Object store › Generate an AES key, not generated.');
  });
});

describe('an Apply refused because the settings changed meanwhile', () => {
  it('shows the settings as saved now, keeping a field edited here and not saved yet', async () => {
    store.getState().setDraft('description', 'typed here, not saved');
    const applying = store.getState().apply();
    await Promise.resolve();
    callsTo('settings:apply')[0]!.answer({ ok: false, error: { code: 'SETTINGS_CHANGED', message: 'The pending settings were changed while this run used them (Host Name, …)' } });
    await applying;
    await settle();
    callsTo('settings:get')[0]!.answer({ ok: true, value: view({ serverName: 'lab', hostName: 'changed.example.com' }) });
    await settle();
    expect(store.getState().drafts.hostName).toBe('changed.example.com');
    expect(store.getState().settings?.pending.hostName).toBe('changed.example.com');
    expect(store.getState().drafts.description).toBe('typed here, not saved');
  });
});
