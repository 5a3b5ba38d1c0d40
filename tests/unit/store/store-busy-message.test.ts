// What STORE_BUSY tells the operator about the process holding the store's lock file (review s18-r2
// F7). A lock written in another pid namespace (a Flatpak sandbox, a container sharing the data folder)
// is never taken over, and the pid in it is a pid inside that namespace: "if no such process runs,
// delete the lock" would have the operator check that pid here, which misleads both ways. The message
// says where the owner runs, to close kmip-console there, and which file to delete only after that.
// Linux only: elsewhere a lock file holds no namespace. The store waits 10 s for a lock; the test runs
// Date 100 times faster meanwhile, so that the wait ends in about 0.1 s.
import { spawnSync } from 'node:child_process';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ObjectStore, StoreError } from '../../../main/store';
import { scratchDir } from '../../support/scratch-dirs';
import { MemoryUnlockKeys } from './memory-unlock-keys';

afterEach(() => {
  vi.useRealTimers();
});

/** A lock file's identity line for this boot and time namespace, in pid namespace `pidNs` (default: this process's). */
function identityLine(start: string, pidNs?: string): string {
  const ns = (kind: string): string => {
    try {
      return /\[(\d+)\]/.exec(readlinkSync(`/proc/self/ns/${kind}`))![1]!;
    } catch {
      return '-';
    }
  };
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return `linux boot=${boot} pidns=${pidNs ?? ns('pid')} timens=${ns('time')} start=${start}`;
}

/** Runs `action` with Date.now() going 100 times faster than the clock, so that a lock's wait ends soon. */
async function withFastClock<T>(action: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  const timer = setInterval(() => vi.setSystemTime(Date.now() + 1000), 10);
  try {
    return await action();
  } finally {
    clearInterval(timer);
    vi.useRealTimers();
  }
}

/** The error of a store change made while the store's lock file holds `lockContent`. */
async function busyError(lockContent: string): Promise<{ error: StoreError; storePath: string }> {
  const storePath = path.join(scratchDir('kmip-store-busy-'), 'store.kcs');
  const store = await ObjectStore.initialize(storePath, new MemoryUnlockKeys());
  await store.add({ name: 'first', kind: 'secret', value: Buffer.from('1') });
  writeFileSync(`${storePath}.lock`, lockContent);
  const error = await withFastClock(() => store.add({ name: 'second', kind: 'secret', value: Buffer.from('2') }).then(() => null, (e: unknown) => e));
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).code).toBe('STORE_BUSY');
  return { error: error as StoreError, storePath };
}

describe.runIf(process.platform === 'linux')('STORE_BUSY', () => {
  it('for a lock written in another pid namespace: says so, to close kmip-console there first, and which file to delete only if none runs there', async () => {
    const pid = spawnSync(process.execPath, ['-e', '0']).pid!; // runs no more here: "if no such process runs" would say delete
    const { error, storePath } = await busyError(`${pid}\n${identityLine('1', '1')}\n`); // no real pid namespace has inode 1
    expect(error.message).toBe(
      `${storePath} is being changed by kmip-console in another namespace than this process (inside or outside a Flatpak sandbox or a container; ` +
        `the pid it recorded, ${pid}, does not identify it here): wait for it to finish, or close kmip-console there first, and run the action again; ` +
        `only if no kmip-console runs there any more, delete ${storePath}.lock.`,
    );
  });

  it('for a lock of this pid namespace: names the pid to check here, as before', async () => {
    // A live owner (a lock of a process gone is taken over): this process itself, with its own start time.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const start = stat.slice(stat.lastIndexOf(')') + 1).trim().split(' ')[19]!;
    const { error, storePath } = await busyError(`${process.pid}\n${identityLine(start)}\n`);
    expect(error.message).toBe(
      `${storePath} is being changed by another kmip-console process (pid ${process.pid}): wait for it to finish and run the action again; ` +
        `if no such process runs, delete ${storePath}.lock.`,
    );
  });
});
