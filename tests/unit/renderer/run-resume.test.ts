// A page that starts while main runs an Apply (a reload, a window reopened on macOS) shows that run, lets
// it be canceled, shows how it ended and refreshes what it changed; a run that ended while no page was
// there is shown once (explore report 6, finding 1). The store's init() against a window.kmip that answers
// as main would.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApplyResult, FinishedRun, IpcChannel, IpcEventChannel, IpcEvents, IpcResult, RunStateView, SettingsView, StepReport } from '../../../common/ipc';
import { defaultSettings } from '../../../common/settings';
import type { DialogStore } from '../../../renderer/src/state/store';
import { settingsView } from './settings-view';

interface Call {
  channel: IpcChannel;
  request: Record<string, unknown>;
}
let calls: Call[] = [];
let runState: RunStateView = { running: null, lastFinished: null };
/** while set, main's answer to 'app:runState' waits for it */
let runStateGate: Promise<void> | null = null;
let settingsNow: SettingsView;
const listeners = new Map<string, Set<(payload: unknown) => void>>();
const storage = new Map<string, string>();
let store: { getState(): DialogStore; setState(patch: Partial<DialogStore>): void };

function emit<E extends IpcEventChannel>(event: E, payload: IpcEvents[E]): void {
  for (const listener of listeners.get(event) ?? []) listener(payload);
}

function answer(channel: IpcChannel): IpcResult<unknown> | null {
  switch (channel) {
    case 'settings:get':
      return { ok: true, value: settingsNow };
    case 'app:recoveryState':
      return { ok: true, value: { state: 'ok' } };
    case 'app:runState':
      return { ok: true, value: runState };
    case 'eks:cancelRun':
      return { ok: true, value: { canceled: true } };
    case 'settings:apply':
      return applied('own').result;
    default:
      return null; // entropy status, leave losses: never answered here
  }
}

const connect: StepReport = { id: 'connect', label: 'Connect and negotiate', status: 'pass', ms: 40 };
const register: StepReport = { id: 'register', label: 'Register Admin Key generation 2', status: 'running' };

function view(applied: boolean): SettingsView {
  const pending = { ...defaultSettings(), serverName: 'lab', hostName: 'kms.example', port: 18601 };
  return settingsView(pending, applied ? pending : { ...pending, port: 5696 });
}

function applied(runId: string): FinishedRun {
  const value: ApplyResult = {
    steps: [connect, { ...register, status: 'pass', ms: 80 }],
    settings: view(true),
    adminKeyGeneration: 2,
    adminKeyName: 'kmip-console store s-1 generation 2',
    entropy: 'unavailable',
  };
  return { kind: 'apply', runId, steps: value.steps, canceled: false, result: { ok: true, value } };
}

async function startPage(): Promise<void> {
  await store.getState().init();
  await expect.poll(() => calls.some((call) => call.channel === 'app:runState')).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 0));
}

beforeAll(async () => {
  (globalThis as unknown as { window: unknown }).window = {
    kmip: {
      invoke: (channel: IpcChannel, request: Record<string, unknown>) => {
        calls.push({ channel, request });
        const result = answer(channel);
        if (channel === 'app:runState' && runStateGate) return runStateGate.then(() => result);
        return result ? Promise.resolve(result) : new Promise(() => undefined);
      },
      on: (event: string, listener: (payload: unknown) => void) => {
        const set = listeners.get(event) ?? new Set();
        listeners.set(event, set);
        set.add(listener);
        return () => set.delete(listener);
      },
    },
    localStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => storage.set(key, value),
    },
  };
  ({ useDialogStore: store } = await import('../../../renderer/src/state/store'));
});

beforeEach(() => {
  calls = [];
  storage.clear();
  settingsNow = view(false);
  store.setState({ run: null, settings: null, fieldErrors: {} });
});

describe('a page started while main runs an Apply', () => {
  it('shows the run with its steps so far, can cancel it, then shows its result and the settings it applied', async () => {
    runState = { running: { kind: 'apply', runId: 'apply-1', steps: [connect, register], canceled: false }, lastFinished: null };
    await startPage();
    expect(store.getState().run).toEqual({ kind: 'apply', runId: 'apply-1', status: 'running', steps: [connect, register] });
    expect(store.getState().settings?.applied?.port).toBe(5696);

    emit('progress', { runId: 'apply-1', kind: 'apply', step: { ...register, status: 'pass', ms: 80 } });
    expect(store.getState().run?.steps[1]).toMatchObject({ id: 'register', status: 'pass' });
    await store.getState().cancelRun();
    expect(calls.filter((call) => call.channel === 'eks:cancelRun').map((call) => call.request)).toEqual([{ runId: 'apply-1' }]);

    const settingsReads = calls.filter((call) => call.channel === 'settings:get').length;
    settingsNow = view(true);
    emit('runFinished', applied('apply-1'));
    expect(store.getState().run).toMatchObject({ kind: 'apply', runId: 'apply-1', status: 'succeeded', apply: { adminKeyGeneration: 2 } });
    await expect.poll(() => store.getState().settings?.applied?.port).toBe(18601);
    expect(calls.filter((call) => call.channel === 'settings:get').length).toBe(settingsReads + 1);
    expect(calls.filter((call) => call.channel === 'app:recoveryState').length).toBeGreaterThanOrEqual(2);
  });

  it('shows the error a failed run ended with, at its field too', async () => {
    runState = { running: { kind: 'apply', runId: 'apply-2', steps: [connect], canceled: false }, lastFinished: null };
    await startPage();
    const error = { code: 'KMIP_AUTH_FAILED', message: 'The key server refused the credentials: check Username and Password.', field: 'password' };
    emit('runFinished', { kind: 'apply', runId: 'apply-2', steps: [connect, { ...register, status: 'fail' }], canceled: false, result: { ok: false, error } });
    expect(store.getState().run).toMatchObject({ status: 'failed', error, steps: [connect, { id: 'register', status: 'fail' }] });
    expect(store.getState().fieldErrors.password).toBe(error.message);
  });
});

describe('a run that ended while no page was there', () => {
  it('is shown once, in the run dialog, and not again by the next page', async () => {
    runState = { running: null, lastFinished: applied('apply-3') };
    await startPage();
    expect(store.getState().run).toMatchObject({ kind: 'apply', runId: 'apply-3', status: 'succeeded', apply: { adminKeyGeneration: 2 } });

    store.setState({ run: null });
    await startPage();
    expect(store.getState().run).toBeNull();
  });

  it('is not shown again when the page that started it got its answer', async () => {
    runState = { running: null, lastFinished: null };
    await startPage();
    await store.getState().apply(); // the page's own request answers it
    const runId = calls.find((call) => call.channel === 'settings:apply')?.request.runId as string;
    emit('runFinished', applied(runId));
    store.setState({ run: null });

    runState = { running: null, lastFinished: applied(runId) };
    await startPage();
    expect(store.getState().run).toBeNull();
  });

  it('is not shown again when the page got its answer before main\'s runFinished event (closed before it came)', async () => {
    runState = { running: null, lastFinished: null };
    await startPage();
    await store.getState().apply();
    expect(store.getState().run?.status).toBe('succeeded');
    const runId = calls.find((call) => call.channel === 'settings:apply')?.request.runId as string;
    store.setState({ run: null }); // Close, before the event (which then finds no run on screen)
    emit('runFinished', applied(runId));

    runState = { running: null, lastFinished: applied(runId) };
    await startPage();
    expect(store.getState().run).toBeNull();
  });

  it('is not shown again after the page refused a Test of its own (a run id main never saw)', async () => {
    runState = { running: null, lastFinished: applied('apply-5') };
    await startPage();
    expect(store.getState().run?.runId).toBe('apply-5');
    store.setState({ run: null });
    // Refused by the page before main is asked, more times than the runs kept as shown.
    for (let refusal = 0; refusal < 25; refusal += 1) {
      store.getState().setPasswordDraft('p'.repeat(1500));
      await store.getState().test();
      expect(store.getState().run).toMatchObject({ kind: 'test', status: 'failed' });
      store.setState({ run: null, passwordDraft: '' });
    }

    await startPage();
    expect(store.getState().run).toBeNull();
  });

  it('is not shown again when the page got its answer and main\'s event never came (a bridge without it)', async () => {
    runState = { running: null, lastFinished: null };
    await startPage();
    await store.getState().apply();
    const runId = calls.find((call) => call.channel === 'settings:apply')?.request.runId as string;
    store.setState({ run: null });

    runState = { running: null, lastFinished: applied(runId) };
    await startPage();
    expect(store.getState().run).toBeNull();
  });

  it('is shown when it ended between the page asking and main answering', async () => {
    runState = { running: { kind: 'apply', runId: 'apply-4', steps: [connect], canceled: false }, lastFinished: null };
    let answerRunState = () => {};
    runStateGate = new Promise((resolve) => (answerRunState = resolve));
    await store.getState().init();
    await expect.poll(() => calls.some((call) => call.channel === 'app:runState')).toBe(true);
    // The end arrives before main's answer, which still says the run is running.
    emit('runFinished', applied('apply-4'));
    expect(store.getState().run).toBeNull();
    answerRunState();
    runStateGate = null;
    await expect.poll(() => store.getState().run?.status).toBe('succeeded');
    expect(store.getState().run?.runId).toBe('apply-4');
  });
});
