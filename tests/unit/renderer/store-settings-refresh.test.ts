// The dialog store after actions that answer with new settings, against a window.kmip that answers as
// main would when the test says so: a saved value changed elsewhere (the CLI) shows, and is named, on any
// answer, while an edit of this window stays; a successful Recover ends recovery mode; a typed password
// that main's request schema would refuse is refused at its field before Load File and Test; a failed
// Load File says that the file loaded before stays.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IpcChannel, IpcResult, RecoverResult, SettingsView } from '../../../common/ipc';
import { defaultSettings, type Settings } from '../../../common/settings';
import { scalarFieldState } from '../../../renderer/src/state/field-state';
import { stored } from '../common/fixtures';
import { loadStoreWithHeldIpc, settle, type HeldCall, type HeldIpcStore } from './held-ipc-store';
import { settingsView } from './settings-view';

let ipc: HeldIpcStore;
let store: HeldIpcStore['store'];

const saved: Partial<Settings> = { serverName: 'lab', hostName: 'kms.example', description: 'original text' };

function view(pending: Partial<Settings> = {}): SettingsView {
  const settings = { ...defaultSettings(), ...saved, ...pending };
  return settingsView(settings, null);
}

function callsTo(channel: IpcChannel): HeldCall[] {
  return ipc.callsTo(channel);
}

/** The state chip of a scalar field, as the dialog shows it now. */
function chip(id: 'description' | 'serverName' | 'hostName'): string {
  const { drafts, settings } = store.getState();
  return scalarFieldState(id, drafts[id], settings!.pending, settings!.applied);
}

beforeAll(async () => {
  ipc = await loadStoreWithHeldIpc();
  store = ipc.store;
});

beforeEach(() => {
  ipc.reset(view());
});

describe("Apply, Revert and Reset name the settings the window shows (review s18-r2 F1, F2)", () => {
  it("waits for this window's own Load File to be answered before Apply, and sends the revision of the settings it answered with", async () => {
    const loading = store.getState().loadFile('caCert');
    await settle();
    const applying = store.getState().apply();
    await settle();
    expect(callsTo('settings:apply')).toHaveLength(0); // not sent with the revision from before the load
    const afterLoad = view({ description: 'loaded a CA here' });
    callsTo('settings:loadFile')[0]!.answer({ ok: true, value: { settings: afterLoad, details: {} } } as IpcResult<unknown>);
    await loading;
    await settle();
    expect(callsTo('settings:apply')[0]?.request).toMatchObject({ settingsRevision: afterLoad.settingsRevision });
    callsTo('settings:apply')[0]!.answer({ ok: false, error: { code: 'APPLY_BLOCKED', message: 'not in this test' } });
    await applying;
  });

  it('says, when Revert is refused as stale, both that nothing was reverted and which fields changed elsewhere', async () => {
    const reverting = store.getState().revert();
    await settle();
    callsTo('settings:revert')[0]!.answer({ ok: false, error: { code: 'SETTINGS_CHANGED', message: 'The pending settings were changed outside this window since it showed them …, so nothing was reverted.' } });
    await settle();
    callsTo('settings:get').at(-1)!.answer({ ok: true, value: view({ description: 'set via CLI' }) });
    await reverting;
    const text = store.getState().notice?.text ?? '';
    expect(text).toMatch(/^The pending settings were changed outside this window .*so nothing was reverted\. Description was changed outside this window/);
    expect(store.getState().notice?.severity).toBe('error');
  });
});

describe('looking again when the window comes back (focus)', () => {
  it('drops a read that a Save of this window overtook: it would show the older value, and call the Save a change made elsewhere', async () => {
    const looking = store.getState().lookAgain();
    store.getState().setDraft('serverName', 'lab 2');
    const saving = store.getState().saveField('serverName');
    callsTo('settings:saveField')[0]!.answer({ ok: true, value: view({ serverName: 'lab 2' }) });
    await saving;
    callsTo('settings:get').at(-1)!.answer({ ok: true, value: view() }); // read before the Save was written
    await looking;
    expect(store.getState().settings?.pending.serverName).toBe('lab 2');
    expect(chip('serverName')).toBe('pending');
    expect(store.getState().notice).toBeNull();
  });

  it('shows what another window or the CLI saved meanwhile, and names it', async () => {
    const looking = store.getState().lookAgain();
    callsTo('settings:get').at(-1)!.answer({ ok: true, value: view({ description: 'set via CLI' }) });
    await looking;
    expect(store.getState().drafts.description).toBe('set via CLI');
    expect(store.getState().notice?.text).toMatch(/^Description was changed outside this window/);
  });
});

describe('a Save after a field was changed outside this window', () => {
  it('shows the new saved value of a field not edited here, and names it', async () => {
    store.getState().setDraft('serverName', 'lab 2');
    const saving = store.getState().saveField('serverName');
    // Meanwhile the CLI set Description: main's answer carries it.
    callsTo('settings:saveField')[0]!.answer({ ok: true, value: view({ serverName: 'lab 2', description: 'set by colleague via CLI' }) });
    await saving;
    expect(store.getState().drafts.description).toBe('set by colleague via CLI');
    expect(chip('description')).toBe('pending');
    expect(store.getState().drafts.serverName).toBe('lab 2');
    expect(store.getState().notice).toEqual({
      severity: 'warning',
      text: 'Description was changed outside this window (in another window or by a kmip-console command): it shows what is saved now.',
    });
  });

  it('keeps an edit of this window not saved yet, and says that saving it replaces the other change', async () => {
    store.getState().setDraft('description', 'typed here, not saved');
    store.getState().setDraft('serverName', 'lab 2');
    const saving = store.getState().saveField('serverName');
    callsTo('settings:saveField')[0]!.answer({
      ok: true,
      value: view({ serverName: 'lab 2', description: 'set by colleague via CLI', hostName: 'other.example' }),
    });
    await saving;
    expect(store.getState().drafts.description).toBe('typed here, not saved');
    expect(chip('description')).toBe('unsaved');
    expect(store.getState().drafts.hostName).toBe('other.example');
    expect(store.getState().notice?.text).toBe(
      'Host Name was changed outside this window (in another window or by a kmip-console command): it shows what is saved now. ' +
        'Description was changed too; your unsaved edit stays on screen, and saving it replaces that change.',
    );
  });

  it('says nothing when only the saved field changed', async () => {
    store.getState().setDraft('serverName', 'lab 2');
    const saving = store.getState().saveField('serverName');
    callsTo('settings:saveField')[0]!.answer({ ok: true, value: view({ serverName: 'lab 2' }) });
    await saving;
    expect(store.getState().notice).toBeNull();
    expect(chip('serverName')).toBe('pending');
  });

  it('does the same for every action that answers with settings (Clear, Load File)', async () => {
    const clearing = store.getState().clearFile('caCert');
    callsTo('settings:clearFile')[0]!.answer({ ok: true, value: view({ description: 'set by colleague via CLI' }) });
    await clearing;
    expect(store.getState().drafts.description).toBe('set by colleague via CLI');
    expect(store.getState().notice?.text).toMatch(/^Description was changed outside this window/);

    store.setState({ notice: null });
    const loading = store.getState().loadFile('clientCert');
    callsTo('settings:loadFile')[0]!.answer({
      ok: true,
      value: { canceled: false, details: stored('clientCert').details, settings: view({ description: 'set by colleague via CLI', clientCert: stored('clientCert') }) },
    });
    await loading;
    // The file this window loaded is its own change, not one made elsewhere.
    expect(store.getState().notice).toBeNull();
  });
});

describe('a successful Recover', () => {
  const recovered: RecoverResult = { steps: [], storeId: 'store-1', adminKeyGeneration: 1, objectCount: 1 };

  async function recover(outcome: IpcResult<RecoverResult>): Promise<void> {
    const running = store.getState().recover();
    await settle();
    callsTo('eks:recover')[0]!.answer(outcome);
    await settle();
    callsTo('settings:get')[0]?.answer({ ok: true, value: view() });
    callsTo('app:recoveryState')[0]?.answer({ ok: true, value: { state: 'ok', storeId: 'store-1' } });
    await running;
  }

  it('ends recovery mode, so that the main button is Apply again and a second click cannot run the recovery again', async () => {
    store.getState().openRecoveryDialog('store');
    await recover({ ok: true, value: recovered });
    expect(store.getState().run).toMatchObject({ kind: 'recover', status: 'succeeded' });
    expect(store.getState().recoveryMode).toBe(false);
    expect(store.getState().notice).toEqual({
      severity: 'success',
      text: 'Recovery finished and recovery mode has ended: the settings used for it are now the applied ones.',
    });
  });

  it('ends it after restoring a backup, and forgets the backup', async () => {
    store.setState({
      chosenBackup: { fileName: '/media/backup.kcs', kind: 'backup', storeId: 'store-1', adminKeyGeneration: 1, adminKeyName: 'kmip-console store-1 gen 1', appliedOn: 'lab', objectCount: 1, replaces: null },
      replaceStoreConfirmed: true,
    });
    store.getState().openRecoveryDialog('backup');
    await recover({ ok: true, value: recovered });
    expect(store.getState()).toMatchObject({ recoveryMode: false, recoverySource: 'store', chosenBackup: null, replaceStoreConfirmed: false });
  });

  it('stays in recovery mode after a failed Recover, to fix the settings and try again', async () => {
    store.getState().openRecoveryDialog('store');
    await recover({ ok: false, error: { code: 'KMIP_AUTH_FAILED', message: 'The key server refused the credentials.' } });
    expect(store.getState()).toMatchObject({ recoveryMode: true, recoverySource: 'store' });
  });
});

describe('passwords that main would refuse as a malformed request', () => {
  it('Load File: a pasted file password over the limit is refused at the slot, naming it and the limit', async () => {
    store.getState().setFileForm('clientCert', { format: 'p12', password: 'x'.repeat(1500) });
    const loading = store.getState().loadFile('clientCert');
    await settle();
    expect(callsTo('settings:loadFile')).toHaveLength(0);
    await loading;
    expect(store.getState().fieldErrors.clientCert).toBe('Cert password is longer than 1024 characters; check what was pasted.');
  });

  it('Test: a typed KMIP password over the limit fails the run and marks the Password field', async () => {
    store.getState().setPasswordDraft('p'.repeat(1500));
    const testing = store.getState().test();
    await settle();
    expect(callsTo('eks:test')).toHaveLength(0);
    await testing;
    const message = 'Password is longer than 1024 characters; check what was pasted.';
    expect(store.getState().run).toMatchObject({ kind: 'test', status: 'failed', error: { message, field: 'password' } });
    expect(store.getState().fieldErrors.password).toBe(message);
  });
});

describe('a failed Load File', () => {
  it('says that the file loaded before stays loaded', async () => {
    store.setState({ settings: view({ clientCert: stored('clientCert') }) });
    store.getState().setFileForm('clientCert', { format: 'p12', password: 'wrong' });
    const loading = store.getState().loadFile('clientCert');
    const message = 'Cert file client.p12 could not be opened with this password: check the password (it is case-sensitive).';
    callsTo('settings:loadFile')[0]!.answer({ ok: false, error: { code: 'PKI_WRONG_PASSWORD', message, field: 'clientCert' } });
    await loading;
    expect(store.getState().fieldErrors.clientCert).toBe(`${message} clientCert.pem stays loaded.`);
  });

  it('says nothing more when the slot was empty', async () => {
    const loading = store.getState().loadFile('clientCert');
    callsTo('settings:loadFile')[0]!.answer({ ok: false, error: { code: 'PKI_PARSE_FAILED', message: 'Cert file x.pem holds no certificate.', field: 'clientCert' } });
    await loading;
    expect(store.getState().fieldErrors.clientCert).toBe('Cert file x.pem holds no certificate.');
  });
});
