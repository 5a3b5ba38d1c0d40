import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
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
        message: expect.stringContaining(`pid ${owner.pid}`),
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      owner.kill();
    }
  });

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
