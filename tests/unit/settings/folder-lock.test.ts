import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME, withFolderLock } from '../../../main/settings/folder-lock';
import { scratchDir } from '../../support/scratch-dirs';

function folder(): string {
  return scratchDir('kmip-lock-');
}

describe('withFolderLock', () => {
  it('holds the lock file during the operation and removes it after success and failure', async () => {
    const dir = folder();
    const lock = path.join(dir, LOCK_FILE_NAME);
    await withFolderLock(dir, async () => expect(existsSync(lock)).toBe(true));
    expect(existsSync(lock)).toBe(false);
    await expect(withFolderLock(dir, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dir = folder();
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(path.join(dir, LOCK_FILE_NAME), `${deadPid}\n`);
    expect(await withFolderLock(dir, async () => 'done', 500)).toBe('done');
  });

  it('waits for a live owner and then reports SETTINGS_BUSY naming it', async () => {
    const dir = folder();
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      writeFileSync(path.join(dir, LOCK_FILE_NAME), `${owner.pid}\n`);
      const started = Date.now();
      await expect(withFolderLock(dir, async () => 'never', 300)).rejects.toMatchObject({
        code: 'SETTINGS_BUSY',
        message:
          `The settings in ${dir} are being changed by another kmip-console process (pid ${owner.pid}): ` +
          `wait for it to finish and try again; if no such process runs, delete ${path.join(dir, LOCK_FILE_NAME)}.`,
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      owner.kill();
    }
  });

  // Linux only: elsewhere a lock file holds no namespace.
  it.runIf(process.platform === 'linux')(
    'for a lock written in another pid namespace (a sandbox, a container), says so, to close kmip-console there first, and which file to delete only if none runs there',
    async () => {
      const dir = folder();
      const lock = path.join(dir, LOCK_FILE_NAME);
      const ns = (kind: string): string => /\[(\d+)\]/.exec(readlinkSync(`/proc/self/ns/${kind}`))?.[1] ?? '-';
      const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      const pid = spawnSync(process.execPath, ['-e', '0']).pid; // runs no more here: "if no such process runs" would say delete
      // No real pid namespace has inode 1; the time namespace is this process's.
      writeFileSync(lock, `${pid}\nlinux boot=${boot} pidns=1 timens=${ns('time')} start=1\n`);
      await expect(withFolderLock(dir, async () => 'never', 300)).rejects.toMatchObject({
        code: 'SETTINGS_BUSY',
        message:
          `The settings in ${dir} are being changed by kmip-console in another namespace than this process (inside or outside a Flatpak sandbox or a container; ` +
          `the pid it recorded, ${pid}, does not identify it here): wait for it to finish, or close kmip-console there first, and try again; ` +
          `only if no kmip-console runs there any more, delete ${lock}.`,
      });
      expect(readFileSync(lock, 'utf8')).toContain('pidns=1'); // never taken over
    },
  );

  it('runs operations of two callers one after the other', async () => {
    const dir = folder();
    const order: string[] = [];
    const slow = withFolderLock(dir, async () => {
      order.push('a:start');
      await new Promise((resolve) => setTimeout(resolve, 150));
      order.push('a:end');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await withFolderLock(dir, async () => order.push('b'));
    await slow;
    expect(order).toEqual(['a:start', 'a:end', 'b']);
  });
});
