// The dialog store against a window.kmip that answers as main would, when the test says so: what is
// typed while a Save is on its way stays, a field saves once at a time, a Test refusing an on-screen
// value marks that field, Format follows the loaded file, and leaving is guarded while work would be lost.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IpcChannel, IpcResult, SettingsView } from '../../../common/ipc';
import { defaultSettings, type Settings } from '../../../common/settings';
import { draftFromSettings } from '../../../renderer/src/state/field-state';
import type { DialogStore } from '../../../renderer/src/state/store';
import { stored } from '../common/fixtures';

interface Call {
  channel: IpcChannel;
  request: Record<string, unknown>;
  answer(result: IpcResult<unknown>): void;
}
let calls: Call[] = [];
let store: { getState(): DialogStore; setState(patch: Partial<DialogStore>): void };
let editableIds: typeof import('../../../renderer/src/state/store').EDITABLE_SCALAR_IDS;
let hasWorkToLose: typeof import('../../../renderer/src/state/leave-guard').hasWorkToLose;

function view(pending: Partial<Settings> = {}): SettingsView {
  return { pending: { ...defaultSettings(), ...pending }, applied: null, dataDir: '/data' };
}

function callsTo(channel: IpcChannel): Call[] {
  return calls.filter((call) => call.channel === channel);
}

beforeAll(async () => {
  // The preload's window.kmip: every request waits until the test answers it.
  (globalThis as unknown as { window: unknown }).window = {
    kmip: {
      invoke: (channel: IpcChannel, request: Record<string, unknown>) =>
        new Promise((answer) => calls.push({ channel, request, answer })),
      on: () => () => undefined,
    },
  };
  ({ useDialogStore: store, EDITABLE_SCALAR_IDS: editableIds } = await import('../../../renderer/src/state/store'));
  hasWorkToLose = (await import('../../../renderer/src/state/leave-guard')).hasWorkToLose;
});

beforeEach(() => {
  calls = [];
  const settings = view({ serverName: 'lab' });
  const drafts = Object.fromEntries(editableIds.map((id) => [id, draftFromSettings(settings.pending, id)])) as DialogStore['drafts'];
  store.setState({ settings, drafts, passwordDraft: '', fieldErrors: {}, busy: {}, run: null });
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

describe('hasWorkToLose', () => {
  it('is false with everything saved, true with an unsaved field, a typed password or a running run', () => {
    expect(hasWorkToLose(store.getState())).toBe(false);
    expect(hasWorkToLose({ ...store.getState(), drafts: { ...store.getState().drafts, serverName: 'other' } })).toBe(true);
    expect(hasWorkToLose({ ...store.getState(), passwordDraft: 'x' })).toBe(true);
    const fileForms = { ...store.getState().fileForms, clientKey: { format: 'pem' as const, password: 'key password' } };
    expect(hasWorkToLose({ ...store.getState(), fileForms })).toBe(true);
    expect(hasWorkToLose({ ...store.getState(), run: { kind: 'apply', runId: 'a', status: 'running', steps: [] } })).toBe(true);
    expect(hasWorkToLose({ ...store.getState(), run: { kind: 'apply', runId: 'a', status: 'failed', steps: [] } })).toBe(false);
  });
});

describe('an Apply refused because the settings changed meanwhile', () => {
  it('shows the settings as saved now, keeping a field edited here and not saved yet', async () => {
    store.getState().setDraft('description', 'typed here, not saved');
    const applying = store.getState().apply();
    await Promise.resolve();
    callsTo('settings:apply')[0]!.answer({ ok: false, error: { code: 'SETTINGS_CHANGED', message: 'The pending settings were changed while this run used them (Host Name, …)' } });
    await applying;
    await new Promise((resolve) => setTimeout(resolve, 0));
    callsTo('settings:get')[0]!.answer({ ok: true, value: view({ serverName: 'lab', hostName: 'changed.example.com' }) });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.getState().drafts.hostName).toBe('changed.example.com');
    expect(store.getState().settings?.pending.hostName).toBe('changed.example.com');
    expect(store.getState().drafts.description).toBe('typed here, not saved');
  });
});
