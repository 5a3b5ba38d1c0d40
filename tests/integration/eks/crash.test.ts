// Crash safety of Apply (PRODUCT.md §4): `kmip-console apply` runs in a child process that is
// SIGKILLed at each step of the transaction (test-only hook KMIP_CONSOLE_TEST_PAUSE_AT, see
// main/cli/test-pause.ts). Afterwards the store must open with the old or the new Admin Key
// generation, recovery from the key server must work, and the next Apply must succeed.
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { APPLY_PAUSE_POINTS, runApply, runRecover, type ApplyPausePoint } from '../../../main/eks';
import { ObjectStore, storeFilePath } from '../../../main/store';
import type { SettingsRepository } from '../../../main/settings';
import { describeWithServices } from '../../support/services';
import { configurePendingSettings, dataFolder, keychainKeys, spawnCli } from './eks-fixtures';

/** Points at which the new header is already in place. */
const NEW_HEADER_FROM: ApplyPausePoint = 'header-written';

async function killApplyAt(dataDir: string, point: ApplyPausePoint): Promise<void> {
  const marker = path.join(dataDir, `paused-${point}`);
  const child = spawnCli(['apply', '--data-dir', dataDir], { KMIP_CONSOLE_TEST_PAUSE_AT: point, KMIP_CONSOLE_TEST_PAUSE_MARKER: marker });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!existsSync(marker)) {
    const early = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('waiting'), 100))]);
    if (early !== 'waiting') throw new Error(`apply exited (${String(early)}) before pausing at ${point}:\n${stderr}`);
    if (Date.now() > deadline) throw new Error(`apply did not reach ${point} within 60 s:\n${stderr}`);
  }
  expect(await readFile(marker, 'utf8')).toBe(point);
  child.kill('SIGKILL');
  await exited;
}

describeWithServices('Apply killed at each step', () => {
  let folder: Awaited<ReturnType<typeof dataFolder>>;
  let settings: SettingsRepository;
  const unlockKeys = keychainKeys();

  async function pendingConnection() {
    const pending = await settings.loadPending();
    return settings.kmipClientOptions(pending, await settings.resolveSecrets('pending'));
  }

  beforeEach(async () => {
    folder = await dataFolder();
    settings = await configurePendingSettings(folder.dir);
    // generation 1 with one object: the "old" state every crash must keep or replace
    await runApply(
      { dataDir: folder.dir, unlockKeys, connection: await pendingConnection(), disableEntropySeed: false, commitSettings: async () => void (await settings.commitApply(await settings.loadPending())) },
      () => undefined,
    );
    const store = await ObjectStore.open(storeFilePath(folder.dir), unlockKeys);
    await store.add({ name: 'precious', kind: 'secret', value: Buffer.from('must survive every crash') });
    await settings.saveField('description', 'changed before the crashed Apply');
  });
  afterEach(async () => {
    await folder.remove();
  });

  it.each(APPLY_PAUSE_POINTS)('at %s: the store opens (old or new generation), recovers from the key server, and Apply works again', async (point) => {
    await killApplyAt(folder.dir, point);
    const expectedGeneration = APPLY_PAUSE_POINTS.indexOf(point) >= APPLY_PAUSE_POINTS.indexOf(NEW_HEADER_FROM) ? 2 : 1;

    const opened = await ObjectStore.open(storeFilePath(folder.dir), unlockKeys);
    expect(opened.header.adminKey?.generation).toBe(expectedGeneration);
    expect(opened.get('precious').value.toString()).toBe('must survive every crash');
    const applied = await settings.loadApplied();
    expect(applied?.description).toBe(point === 'settings-applied' ? 'changed before the crashed Apply' : '');

    // lose the local unlock: the key server alone must open the store the crash left behind
    await unlockKeys.remove(opened.header.storeId);
    const recovered = await runRecover(
      { dataDir: folder.dir, unlockKeys, connection: await pendingConnection(), source: { kind: 'store' } },
      () => undefined,
    );
    expect(recovered.adminKeyGeneration).toBe(expectedGeneration);
    // a temporary file the killed writer left behind is gone after the next write
    expect((await readdir(folder.dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect((await ObjectStore.open(storeFilePath(folder.dir), unlockKeys)).get('precious').value.toString()).toBe('must survive every crash');

    const next = await runApply(
      { dataDir: folder.dir, unlockKeys, connection: await pendingConnection(), disableEntropySeed: true, commitSettings: async () => void (await settings.commitApply(await settings.loadPending())) },
      () => undefined,
    );
    // A key registered by the crashed Apply but never put in the header keeps its Name on the server: the next Apply skips it.
    const orphanLeft = APPLY_PAUSE_POINTS.indexOf(point) >= APPLY_PAUSE_POINTS.indexOf('registered') && expectedGeneration === 1;
    expect(next.adminKeyGeneration).toBe(expectedGeneration + (orphanLeft ? 2 : 1));
  });
});

