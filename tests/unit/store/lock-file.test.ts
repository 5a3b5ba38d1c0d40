import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { withLockFile, type LockFileOptions } from '../../../main/store/lock-file';
import { scratchDir } from '../../support/scratch-dirs';

/** A pid no process has: the lock's owner is dead. */
const DEAD_PID = 2 ** 22 + 1;

const options: LockFileOptions = {
  waitMs: 10_000,
  busy: (owner) => new Error(`busy (${owner.pid})`),
  failed: (code) => new Error(`failed ${code}`),
};

describe('withLockFile', () => {
  it('takes over a lock left by a dead process, and removes its own at the end', async () => {
    const lock = path.join(scratchDir('kmip-lock-'), 'settings.lock');
    writeFileSync(lock, `${DEAD_PID}\n`);
    const seen = await withLockFile(lock, async () => readFileSync(lock, 'utf8'), options);
    expect(seen.split('\n')[0]).toBe(String(process.pid)); // then its start token (lock-file-pid-reuse.test.ts)
    expect(existsSync(lock)).toBe(false);
  });

  it.each([
    ['a stale lock', false],
    ['a stale lock and the takeover guard of a process killed while taking it over', true],
  ])('lets one holder at a time in when many wait on %s (none deletes the lock another just took)', async (_, staleGuard) => {
    const dir = scratchDir('kmip-lock-');
    const lock = path.join(dir, 'settings.lock');
    let inside = 0;
    let most = 0;
    for (let round = 0; round < 10; round += 1) {
      writeFileSync(lock, `${DEAD_PID}\n`);
      if (staleGuard) {
        writeFileSync(`${lock}.takeover`, `${DEAD_PID + 1}\n`);
        ageFile(`${lock}.takeover`);
      }
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
    expect(existsSync(`${lock}.takeover`)).toBe(false);
  });

  it('waits for a takeover guard held by a live process no longer than waitMs, without spinning, and names it', async () => {
    const lock = path.join(scratchDir('kmip-lock-'), 'settings.lock');
    writeFileSync(lock, `${DEAD_PID}\n`);
    writeFileSync(`${lock}.takeover`, `${process.pid}\n`); // a live pid: a stopped process, or a pid reused
    const cpu = process.cpuUsage();
    const started = Date.now();
    const error = await withLockFile(lock, async () => 'entered', { ...options, waitMs: 600 }).catch((e: unknown) => e);
    const waited = Date.now() - started;
    const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`busy (${process.pid})`);
    expect(waited).toBeGreaterThanOrEqual(600);
    expect(waited).toBeLessThan(3000);
    expect(cpuMs).toBeLessThan(waited / 2);
  });

  it('takes over a takeover guard left long ago, whatever pid it names', async () => {
    const lock = path.join(scratchDir('kmip-lock-'), 'settings.lock');
    writeFileSync(lock, `${DEAD_PID}\n`);
    writeFileSync(`${lock}.takeover`, `${process.pid}\n`);
    ageFile(`${lock}.takeover`);
    expect(await withLockFile(lock, async () => 'entered', options)).toBe('entered');
  });
});

/** Makes `file` a minute old: what a file left by a process killed long ago looks like. */
function ageFile(file: string): void {
  const then = new Date(Date.now() - 60_000);
  utimesSync(file, then, then);
}
