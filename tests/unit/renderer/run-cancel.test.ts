// The run dialog's state for "Cancel test": the outcome says "canceled" only when main stopped the
// Test; a Test that ended before the cancel arrived keeps its own outcome (the dialog must not lie).
import { beforeAll, describe, expect, it } from 'vitest';
import type { IpcChannel, IpcResult, TestReport } from '../../../common/ipc';

type Pending = { resolve(result: IpcResult<TestReport>): void };
let pendingTest: Pending | null = null;
let cancelAnswer: IpcResult<{ canceled: boolean }> = { ok: true, value: { canceled: true } };

beforeAll(() => {
  // The preload's window.kmip, answering as main would.
  (globalThis as unknown as { window: unknown }).window = {
    kmip: {
      invoke: (channel: IpcChannel) => {
        if (channel === 'eks:test') return new Promise((resolve) => (pendingTest = { resolve }));
        if (channel === 'eks:cancelTest') return Promise.resolve(cancelAnswer);
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
  await useDialogStore.getState().cancelTest();
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
