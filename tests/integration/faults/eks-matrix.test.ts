// Fault × action matrix for the workflows (issue 6 point 1): Test, Apply, Recover and entropy at
// start, each through the fault proxy in front of the real PyKMIP server. Every case ends within the
// timeout + 1 s with a typed error (or a failed step / entropy report that says why), and leaves
// the data folder (settings file, store file) byte for byte as it was. With Auto-Reconnect = 1 an
// idle close during Apply, and a drop before the response of an idempotent request, are recovered.
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { fetchEntropy, runApply, runRecover, runTest, type ApplyPausePoint, type EksError } from '../../../main/eks';
import { KmipClient, Operation, State, type KmipClientOptions } from '../../../main/kmip';
import { KeychainSecretStore } from '../../../main/secrets';
import { SettingsRepository } from '../../../main/settings';
import { ObjectStore, storeFilePath } from '../../../main/store';
import type { FaultMode, FaultProxy } from '../../support/fault-proxy';
import { FAULTS, OutcomeTable, outcomeOf, startKmipFaultProxy, type Outcome } from '../../support/fault-matrix';
import { describeWithServices } from '../../support/services';
import { dataFolder, eksOptions, keychainKeys } from '../eks/eks-fixtures';

const TIMEOUT_MS = 2_000;
const IDLE_CLOSE_MS = 300;

const table = new OutcomeTable();
const unlockKeys = keychainKeys();
let proxy: FaultProxy;
let folder: Awaited<ReturnType<typeof dataFolder>>;
let settings: SettingsRepository;
let committed = 0;

function viaProxy(autoReconnect: boolean): KmipClientOptions {
  return eksOptions({ host: proxy.host, port: proxy.port, timeoutMs: TIMEOUT_MS, autoReconnect });
}

/** Admin Key generation of the store, opened with its local unlock (throws if the store is damaged). */
async function generation(): Promise<number> {
  const store = await ObjectStore.open(storeFilePath(folder.dir), unlockKeys);
  return store.header.adminKey?.generation ?? 0;
}

/** sha256 of every file under the data folder, by relative path. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    result[path.relative(dir, file)] = createHash('sha256').update(await readFile(file)).digest('hex');
  }
  return result;
}

function apply(autoReconnect: boolean, pauseAt?: (point: ApplyPausePoint) => Promise<void>) {
  return runApply(
    {
      dataDir: folder.dir,
      unlockKeys,
      connection: viaProxy(autoReconnect),
      disableEntropySeed: false,
      commitSettings: async () => {
        committed++;
        await settings.commitApply(await settings.loadPending());
      },
      pauseAt,
    },
    () => undefined,
  );
}

function recover(autoReconnect: boolean) {
  return runRecover(
    { dataDir: folder.dir, unlockKeys, connection: viaProxy(autoReconnect), source: { kind: 'store' } },
    () => undefined,
  );
}

/** Test and entropy report failures in their result instead of throwing: turn those into outcomes. */
async function testOutcome(autoReconnect: boolean): Promise<Outcome> {
  const outcome = await outcomeOf(async () => {
    const report = await runTest(viaProxy(autoReconnect), () => undefined);
    const failed = report.steps.find((step) => step.status === 'fail');
    if (failed) throw Object.assign(new Error(`${failed.id}: ${failed.detail}`), { name: 'TestStepFailed', code: failed.id });
  });
  return outcome;
}

async function entropyOutcome(autoReconnect: boolean): Promise<Outcome> {
  return outcomeOf(async () => {
    const report = await fetchEntropy({ connection: viaProxy(autoReconnect), disabled: false });
    // PyKMIP has no RNG Retrieve: 'unavailable' is the healthy answer; 'failed' is a reported fault.
    if (report.status === 'failed') throw Object.assign(new Error(report.detail), { name: 'EntropyReport', code: 'failed' });
  });
}

/** Issue 6: every faulted action ends within the timeout plus one second. */
function boundFor(_action: ActionName, _fault: FaultMode): number {
  return TIMEOUT_MS + 1_000;
}

type ActionName = 'Test' | 'Apply@connect' | 'Apply@register' | 'Recover' | 'Entropy';

async function runAction(action: ActionName, fault: FaultMode, autoReconnect: boolean): Promise<Outcome> {
  // Apply@register: the fault meets Register itself (Apply sends Discover Versions, Query and Locates before it).
  proxy.setMode(fault, action === 'Apply@register' ? { operation: Operation.Register } : {});
  switch (action) {
    case 'Test':
      return testOutcome(autoReconnect);
    case 'Entropy':
      return entropyOutcome(autoReconnect);
    case 'Recover':
      return outcomeOf(() => recover(autoReconnect));
    default:
      return outcomeOf(() => apply(autoReconnect));
  }
}

const ACTIONS: ActionName[] = ['Test', 'Apply@connect', 'Apply@register', 'Recover', 'Entropy'];

describeWithServices('workflows under faults', () => {
  beforeAll(async () => {
    proxy = await startKmipFaultProxy({ idleCloseMs: IDLE_CLOSE_MS });
    folder = await dataFolder();
    settings = new SettingsRepository({ dataDir: folder.dir, secrets: new KeychainSecretStore(), profile: 'faults' });
    await settings.saveField('serverName', 'fault matrix');
    await settings.saveField('hostName', '127.0.0.1');
    // A store applied once (through the proxy, no fault), so Recover has something to recover.
    const first = await apply(false);
    expect(first.adminKeyGeneration).toBe(1);
  });
  afterEach(() => proxy?.setMode('pass'));
  afterAll(async () => {
    await proxy?.stop();
    await folder?.remove();
    console.log(table.toMarkdown(`Workflow fault matrix (timeout ${TIMEOUT_MS} ms, Auto-Reconnect = 0 unless noted)`));
  });

  for (const action of ACTIONS) {
    it(`${action}: control through the proxy succeeds`, async () => {
      const outcome = await runAction(action, 'pass', false);
      table.record('pass', action, outcome);
      expect(outcome.summary).toBe('ok');
    });
  }

  let pendingEdits = 0;
  for (const fault of FAULTS.filter((f) => f !== 'idle-close')) {
    for (const action of ACTIONS) {
      it(`${action} × ${fault}: ends within timeout + 1 s, failed with a typed error and nothing changed, or done`, async () => {
        await settings.saveField('hostName', `pending-${++pendingEdits}.example`);
        const before = await snapshot(folder.dir);
        const generationBefore = await generation();
        const committedBefore = committed;
        const outcome = await runAction(action, fault, false);
        table.record(fault, action, outcome);
        if (outcome.ok) {
          // Only Apply can still succeed, when its fault meets a request it recovers from (see below).
          expect(action).toMatch(/^Apply/);
          expect(await generation()).toBe(generationBefore + 1);
          expect(committed).toBe(committedBefore + 1);
        } else {
          expect(outcome.summary).toMatch(/^\w+ [A-Za-z_-]+$/);
          expect(outcome.message.length).toBeGreaterThan(20);
          expect(await snapshot(folder.dir)).toEqual(before);
          expect(committed).toBe(committedBefore);
          expect(await generation()).toBe(generationBefore);
        }
        expect(outcome.elapsedMs).toBeLessThan(boundFor(action, fault));
      });
    }
  }

  it('Apply × idle-close (idle after connecting), Auto-Reconnect = 0: ends with "Auto-Reconnect is off", opening no other connection', async () => {
    proxy.setMode('idle-close');
    const before = await snapshot(folder.dir);
    const connectionsBefore = proxy.stats.connections;
    const outcome = await outcomeOf(() =>
      apply(false, async (point) => {
        if (point === 'connected') await new Promise((resolve) => setTimeout(resolve, IDLE_CLOSE_MS + 300));
      }),
    );
    table.record('idle-close', 'Apply@connect', outcome);
    expect(outcome.summary).toBe('EksError CONNECTION_CLOSED');
    expect(outcome.message).toMatch(/^Register the new Admin Key: .*Auto-Reconnect is off, so it was not re-opened and the request was not sent/);
    expect(proxy.stats.connections).toBe(connectionsBefore + 1);
    expect(await snapshot(folder.dir)).toEqual(before);
  });

  it('Apply × drop-before-response of Register, Auto-Reconnect = 0: ends with "Auto-Reconnect is off", names the key it may have left, opens no other connection', async () => {
    proxy.setMode('drop-before-response', { times: 1, operation: Operation.Register });
    const before = await snapshot(folder.dir);
    const connectionsBefore = proxy.stats.connections;
    const outcome = await outcomeOf(() => apply(false));
    expect(outcome.summary).toBe('EksError CONNECTION_CLOSED');
    expect(outcome.message).toMatch(/^Register the new Admin Key: The connection to .* closed before the server answered, and Auto-Reconnect is off, so it was not re-opened\./);
    expect(outcome.message).toMatch(/The key server may hold Admin Key "kmip-console\/[-0-9a-f]+\/admin-key\/\d+" from this attempt, unused: the store does not reference it/);
    expect(proxy.stats.connections).toBe(connectionsBefore + 1);
    expect(await snapshot(folder.dir)).toEqual(before);
  });

  it('Apply × drop-before-response of Activate, Auto-Reconnect = 1: the State is read on a new connection, and Apply completes with the key Active', async () => {
    proxy.setMode('drop-before-response', { times: 1, operation: Operation.Activate });
    const generationBefore = await generation();
    const outcome = await apply(true);
    expect(proxy.stats.faults['drop-before-response']).toBeGreaterThan(0);
    expect(outcome.steps.find((step) => step.id === 'activate')?.detail).toMatch(
      /is Active \(the connection dropped before Activate was answered; its State, read on a new connection, shows it took effect\)$/,
    );
    expect(await generation()).toBeGreaterThan(generationBefore);
    const direct = await KmipClient.connect(eksOptions());
    try {
      expect((await direct.getAttributes(outcome.adminKeyId, ['State'])).attributes.State).toEqual([State.Active]);
    } finally {
      await direct.close();
    }
  });

  it('Apply × drop-before-response of Activate, Auto-Reconnect = 0: fails saying Auto-Reconnect is off, without blaming the client certificate', async () => {
    proxy.setMode('drop-before-response', { times: 1, operation: Operation.Activate });
    const before = await snapshot(folder.dir);
    const connectionsBefore = proxy.stats.connections;
    const error = await apply(false).then(
      () => null,
      (e: unknown) => e as EksError,
    );
    expect(error?.code).toBe('CONNECTION_CLOSED');
    const step = error?.steps.find((s) => s.id === 'activate');
    expect(step?.status).toBe('fail');
    expect(step?.detail).toMatch(/closed before the server answered, and Auto-Reconnect is off, so it was not re-opened\. The request changes the server's state/);
    expect(step?.detail).not.toMatch(/may create an object/);
    expect(step?.fix).not.toMatch(/certificate/);
    expect(error?.message).toMatch(/stays on the key server unused/);
    expect(proxy.stats.connections).toBe(connectionsBefore + 1);
    expect(await snapshot(folder.dir)).toEqual(before);
  });

  it('Apply × garbage for its entropy Query, Auto-Reconnect = 1: Apply completes and reports entropy as failed', async () => {
    proxy.setMode('garbage', { afterRequests: 1, times: 1 }); // Discover Versions passes, Query gets garbage
    const committedBefore = committed;
    const outcome = await apply(true);
    expect(outcome.entropy).toBe('failed');
    const step = outcome.steps.find((s) => s.id === 'entropy');
    expect(step).toMatchObject({ status: 'warn' });
    expect(step?.detail).toMatch(/^no entropy from the key server: .*(not valid TTLV|not a KMIP message)/);
    expect(committed).toBe(committedBefore + 1);
  });

  it('Apply × idle-close, Auto-Reconnect = 1: recovered, Apply completes', async () => {
    proxy.setMode('idle-close');
    const connectionsBefore = proxy.stats.connections;
    const committedBefore = committed;
    const outcome = await outcomeOf(() =>
      apply(true, async (point) => {
        if (point === 'connected') await new Promise((resolve) => setTimeout(resolve, IDLE_CLOSE_MS + 300));
      }),
    );
    table.record('idle-close + Auto-Reconnect', 'Apply@connect', outcome);
    expect(outcome.summary).toBe('ok');
    expect(proxy.stats.connections).toBeGreaterThan(connectionsBefore + 1);
    expect(committed).toBe(committedBefore + 1);
  });

  for (const action of ['Test', 'Recover', 'Entropy', 'Apply@connect'] as const) {
    it(`${action} × drop-before-response of its first (idempotent) request, Auto-Reconnect = 1: recovered`, async () => {
      proxy.setMode('drop-before-response', { times: 1 });
      const outcome =
        action === 'Test'
          ? await testOutcome(true)
          : action === 'Entropy'
            ? await entropyOutcome(true)
            : action === 'Recover'
              ? await outcomeOf(() => recover(true))
              : await outcomeOf(() => apply(true));
      table.record('drop-before-response + Auto-Reconnect', action, outcome);
      expect(outcome.summary).toBe('ok');
      expect(proxy.stats.faults['drop-before-response']).toBeGreaterThan(0);
    });
  }

  it('Apply × drop-before-response of Register, Auto-Reconnect = 1: the key is registered exactly once, and its step says how it was found', async () => {
    proxy.setMode('drop-before-response', { times: 1, operation: Operation.Register });
    let registerDetail: string | undefined;
    const outcome = await outcomeOf(async () => {
      registerDetail = (await apply(true)).steps.find((step) => step.id === 'register')?.detail;
    });
    table.record('drop-before-response + Auto-Reconnect', 'Apply@register', outcome);
    expect(outcome.summary).toBe('ok');
    expect(registerDetail).toMatch(/\(the connection dropped before Register was answered; a new connection found the key by its Name, so it was not registered twice\)$/);
    expect(proxy.stats.faults['drop-before-response']).toBeGreaterThan(0);
    const header = (await ObjectStore.open(storeFilePath(folder.dir), unlockKeys)).header;
    const name = header.adminKey?.name;
    if (!name) throw new Error('no Admin Key recorded');
    const direct = await KmipClient.connect(eksOptions());
    try {
      expect((await direct.locate({ name })).uniqueIdentifiers).toHaveLength(1);
    } finally {
      await direct.close();
    }
  });
});
