// A run belongs to main, not to the page that started it (explore report 6, finding 1): 'app:runState'
// gives a page loaded later the run in progress (steps so far) and how the last one ended, and every end
// is announced to whichever page is there ('runFinished'). Real handlers; the Test waits on a TCP server
// that never answers TLS, with Timeout 0, until it is canceled.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FinishedRun, RunStateView, TestReport } from '../../../common/ipc';
import { SettingsRepository } from '../../../main/settings';
import { scratchDir } from '../../support/scratch-dirs';
import { startSilentTcpServer } from '../../support/transport-fixtures';
import { MemorySecretStore } from '../settings/memory-secret-store';
import { shownRevision, windowIpc, type WindowIpc } from './window-ipc';

let silent: Awaited<ReturnType<typeof startSilentTcpServer>>;
let finished: FinishedRun[];
let runningChanges: (string | null)[];
let ipc: WindowIpc;

beforeEach(async () => {
  silent = await startSilentTcpServer();
  finished = [];
  runningChanges = [];
  const dataDir = scratchDir('kmip-run-state-');
  const secrets = new MemorySecretStore();
  const settings = new SettingsRepository({ dataDir, secrets });
  await settings.saveField('serverName', 'silent');
  await settings.saveField('hostName', '127.0.0.1');
  await settings.saveField('port', silent.port);
  await settings.saveField('timeout', 0);
  ipc = windowIpc(dataDir, secrets, { settings, emitRunFinished: (run) => finished.push(run), runningChanged: (kind) => runningChanges.push(kind) });
});

afterEach(async () => {
  await silent.close();
});

async function runState(): Promise<RunStateView> {
  const answer = (await ipc('app:runState', {})) as { ok: true; value: RunStateView };
  expect(answer.ok).toBe(true);
  return answer.value;
}

describe("'app:runState'", () => {
  it('is empty before any run', async () => {
    expect(await runState()).toEqual({ running: null, lastFinished: null });
  });

  it('gives the running Test with its steps so far, then how it ended, also as the runFinished event', async () => {
    const test = ipc('eks:test', { runId: 'test-1', values: {}, password: { kind: 'none' } }) as Promise<{ ok: true; value: TestReport }>;
    await expect.poll(async () => (await runState()).running?.steps.find((step) => step.id === 'tls')?.status, { timeout: 5000 }).toBe('running');
    const during = await runState();
    expect(during.running).toMatchObject({ kind: 'test', runId: 'test-1', canceled: false });
    expect(during.running?.steps.map((step) => [step.id, step.status])).toEqual([
      ['dns', 'pass'],
      ['tcp', 'pass'],
      ['tls', 'running'],
    ]);
    expect(during.lastFinished).toBeNull();
    // What main's question before quitting goes by.
    expect(runningChanges).toEqual(['test']);

    expect(await ipc('eks:cancelRun', { runId: 'test-1' })).toEqual({ ok: true, value: { canceled: true } });
    const answer = await test;
    const after = await runState();
    expect(after.running).toBeNull();
    expect(after.lastFinished).toEqual({ kind: 'test', runId: 'test-1', steps: expect.any(Array), canceled: true, result: answer });
    expect(after.lastFinished?.steps.find((step) => step.id === 'tls')).toMatchObject({ status: 'fail', code: 'TEST_CANCELED' });
    expect(finished).toEqual([after.lastFinished]);
    expect(runningChanges).toEqual(['test', null]);
  });

  it('keeps the error a refused Apply answered with, as its request got it', async () => {
    await ipc('settings:reset', { settingsRevision: await shownRevision(ipc) }); // no Server Name, no Host Name: Apply refuses to start
    const answer = await ipc('settings:apply', { runId: 'apply-1', settingsRevision: await shownRevision(ipc) });
    expect(answer).toMatchObject({ ok: false, error: { code: 'APPLY_BLOCKED' } });
    expect((await runState()).lastFinished).toEqual({ kind: 'apply', runId: 'apply-1', steps: [], canceled: false, result: answer });
    expect(finished.map((run) => run.runId)).toEqual(['apply-1']);
  });

  it('does not record a run refused because another one runs', async () => {
    const test = ipc('eks:test', { runId: 'test-2', values: {}, password: { kind: 'none' } });
    await expect.poll(async () => (await runState()).running?.runId).toBe('test-2');
    expect(await ipc('settings:apply', { runId: 'apply-2', settingsRevision: await shownRevision(ipc) })).toMatchObject({ ok: false, error: { code: 'OPERATION_IN_PROGRESS' } });
    expect((await runState()).running?.runId).toBe('test-2');
    await ipc('eks:cancelRun', { runId: 'test-2' });
    await test;
    expect(finished.map((run) => run.runId)).toEqual(['test-2']);
  });

  // A page loaded after the Test started (a reload) shows the saved values, not those typed on the page before it
  // (explore report s18-x4, F7): main keeps which fields were not saved, and when the Test started.
  it('says, for a Test run with values on screen that were not saved, which fields, and when it started', async () => {
    const startedAfter = Date.now();
    const test = ipc('eks:test', { runId: 'test-3', values: { timeout: '0', description: 'typed, not saved' }, password: { kind: 'new', value: 'typed-password' } });
    await expect.poll(async () => (await runState()).running?.steps.find((step) => step.id === 'tls')?.status, { timeout: 5000 }).toBe('running');
    const { running } = await runState();
    expect(running?.unsavedValues).toEqual({ at: expect.any(String), fields: ['description', 'password'] });
    expect(Date.parse(running!.unsavedValues!.at)).toBeGreaterThanOrEqual(startedAfter - 1000);
    await ipc('eks:cancelRun', { runId: 'test-3' });
    await test;
    expect((await runState()).lastFinished?.unsavedValues).toEqual(running?.unsavedValues);
    expect(finished[0]?.unsavedValues).toEqual(running?.unsavedValues);
  });

  it('says nothing of unsaved values for a Test of the saved ones', async () => {
    const test = ipc('eks:test', { runId: 'test-4', values: { timeout: '0', port: String(silent.port) }, password: { kind: 'none' } });
    await expect.poll(async () => (await runState()).running?.steps.find((step) => step.id === 'tls')?.status, { timeout: 5000 }).toBe('running');
    expect((await runState()).running).not.toHaveProperty('unsavedValues');
    await ipc('eks:cancelRun', { runId: 'test-4' });
    await test;
    expect((await runState()).lastFinished).not.toHaveProperty('unsavedValues');
  });
});
