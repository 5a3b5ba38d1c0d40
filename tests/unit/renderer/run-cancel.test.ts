// The run dialog's state for its Cancel button: the outcome says "canceled" only when main stopped the
// run; a run that ended before the cancel arrived, or an Apply past its point of no return, keeps its
// own outcome (the dialog must not lie).
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApplyResult, IpcChannel, IpcResult, TestReport } from '../../../common/ipc';

type Pending = { resolve(result: IpcResult<TestReport>): void };
let pendingTest: Pending | null = null;
let pendingApply: { resolve(result: IpcResult<ApplyResult>): void } | null = null;
let cancelAnswer: IpcResult<{ canceled: boolean }> = { ok: true, value: { canceled: true } };

beforeAll(() => {
  // The preload's window.kmip, answering as main would.
  (globalThis as unknown as { window: unknown }).window = {
    kmip: {
      invoke: (channel: IpcChannel) => {
        if (channel === 'eks:test') return new Promise((resolve) => (pendingTest = { resolve }));
        if (channel === 'settings:apply') return new Promise((resolve) => (pendingApply = { resolve }));
        if (channel === 'eks:cancelRun') return Promise.resolve(cancelAnswer);
        return new Promise(() => undefined);
      },
      on: () => () => undefined,
    },
  };
});

function report(ok: boolean): TestReport {
  const status = ok ? 'pass' : 'fail';
  return { ok, startedAt: new Date().toISOString(), totalMs: 5, steps: [{ id: 'tls', label: 'TLS handshake', status }] };
}

async function runAndCancel(mainCanceled: boolean, outcome: TestReport) {
  const { useDialogStore } = await import('../../../renderer/src/state/store');
  useDialogStore.setState({ run: null });
  cancelAnswer = { ok: true, value: { canceled: mainCanceled } };
  const running = useDialogStore.getState().test();
  await expect.poll(() => pendingTest).not.toBeNull();
  await useDialogStore.getState().cancelRun();
  pendingTest?.resolve({ ok: true, value: outcome });
  pendingTest = null;
  await running;
  return useDialogStore.getState().run;
}

describe('Cancel test', () => {
  it('marks the run canceled when main stopped the Test', async () => {
    expect(await runAndCancel(true, report(false))).toMatchObject({ status: 'failed', canceled: true });
  });

  it('keeps the outcome of a Test that ended before the cancel arrived', async () => {
    expect(await runAndCancel(false, report(true))).toMatchObject({ status: 'succeeded', canceled: false });
  });
});

describe('Cancel apply', () => {
  it('says the cancel came too late when main refuses it, then shows how the Apply ended', async () => {
    const { useDialogStore } = await import('../../../renderer/src/state/store');
    useDialogStore.setState({ run: null });
    cancelAnswer = { ok: true, value: { canceled: false } };
    const running = useDialogStore.getState().apply();
    await expect.poll(() => pendingApply).not.toBeNull();
    await useDialogStore.getState().cancelRun();
    expect(useDialogStore.getState().run).toMatchObject({ kind: 'apply', status: 'running', canceled: false, cancelRefused: true });
    pendingApply?.resolve({ ok: false, error: { code: 'SETTINGS_WRITE_FAILED', message: 'disk full' } });
    pendingApply = null;
    await running;
    expect(useDialogStore.getState().run).toMatchObject({ status: 'failed', canceled: false, error: { message: 'disk full' } });
  });
});
