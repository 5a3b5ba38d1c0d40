import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { withLockFile, type LockFileOptions } from '../../../main/store/lock-file';
import { scratchDir } from '../../support/scratch-dirs';

/** A pid no process has: the lock's owner is dead. */
const DEAD_PID = 2 ** 22 + 1;

const options: LockFileOptions = {
  waitMs: 10_000,
  busy: (pid) => new Error(`busy (${pid})`),
  failed: (code) => new Error(`failed ${code}`),
};

describe('withLockFile', () => {
  it('takes over a lock left by a dead process, and removes its own at the end', async () => {
    const lock = path.join(scratchDir('kmip-lock-'), 'settings.lock');
    writeFileSync(lock, `${DEAD_PID}\n`);
    const seen = await withLockFile(lock, async () => readFileSync(lock, 'utf8'), options);
    expect(seen).toBe(`${process.pid}\n`);
    expect(existsSync(lock)).toBe(false);
  });

  it('lets one holder at a time in when many wait on a stale lock (none deletes the lock another just took)', async () => {
    const dir = scratchDir('kmip-lock-');
    const lock = path.join(dir, 'settings.lock');
    let inside = 0;
    let most = 0;
    for (let round = 0; round < 10; round += 1) {
      writeFileSync(lock, `${DEAD_PID}\n`);
      await Promise.all(
        Array.from({ length: 8 }, () =>
          withLockFile(
            lock,
            async () => {
              inside += 1;
              most = Math.max(most, inside);
              await sleep(2);
              inside -= 1;
            },
            options,
          ),
        ),
      );
    }
    expect(most).toBe(1);
    expect(existsSync(lock)).toBe(false);
  });
});
