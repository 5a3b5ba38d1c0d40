// A lock file whose pid cannot be written (a full disk) is not left behind: empty, it would read as
// another process's lock and refuse the next attempt as "being changed by another kmip-console process".
import { existsSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { scratchDir } from '../../support/scratch-dirs';

/** Lock files whose writes fail as on a full disk; every other file is written as usual. */
const fullDiskFor = new Set<string>();

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open = async (...args: Parameters<typeof real.open>): Promise<FileHandle> => {
    const handle = await real.open(...args);
    if (!fullDiskFor.has(String(args[0]))) return handle;
    return new Proxy(handle, {
      get: (target, property, receiver) =>
        property === 'writeFile'
          ? async () => {
              throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
            }
          : Reflect.get(target, property, receiver),
    });
  };
  return { ...real, default: { ...real, open }, open };
});

const { withLockFile } = await import('../../../main/store/lock-file');

describe('withLockFile on a full disk', () => {
  it('fails with the disk error and leaves no lock file, so the next attempt is not refused as busy', async () => {
    const lock = path.join(scratchDir('kmip-lock-full-'), 'settings.lock');
    fullDiskFor.add(lock);
    const options = { waitMs: 200, busy: () => new Error('busy'), failed: (code: string) => new Error(`failed ${code}`) };
    await expect(withLockFile(lock, async () => 'written', options)).rejects.toThrow('failed ENOSPC');
    expect(existsSync(lock)).toBe(false);

    fullDiskFor.delete(lock); // space freed
    await expect(withLockFile(lock, async () => 'written', options)).resolves.toBe('written');
  });
});
