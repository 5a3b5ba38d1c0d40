import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scratchDir } from '../../support/scratch-dirs';

// Opening a folder fails, as it does on Windows (EISDIR): only the folder flush after the rename opens one.
const failFolderOpen = vi.hoisted(() => ({ on: false }));
// A temporary file's write fails (a full disk), and removing it fails too (an I/O error).
const failTemp = vi.hoisted(() => ({ write: false, remove: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (file, flags, mode) => {
    if (failFolderOpen.on && flags === 'r' && !String(file).endsWith('.tmp')) {
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${String(file)}'`), { code: 'EISDIR' });
    }
    if (failTemp.write && String(file).endsWith('.tmp')) {
      throw Object.assign(new Error(`ENOSPC: no space left on device, open '${String(file)}'`), { code: 'ENOSPC' });
    }
    return actual.open(file, flags, mode);
  };
  const rm: typeof actual.rm = async (file, options) => {
    if (failTemp.remove && String(file).endsWith('.tmp')) throw Object.assign(new Error(`EIO: i/o error, rm '${String(file)}'`), { code: 'EIO' });
    return actual.rm(file, options);
  };
  return { ...actual, open, rm };
});

const { probeWritable, writeFileAtomic } = await import('../../../main/store/atomic-file');

afterEach(() => {
  failFolderOpen.on = false;
  failTemp.write = false;
  failTemp.remove = false;
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file', async () => {
    const dir = scratchDir('kmip-atomic-');
    const target = path.join(dir, 'settings.json');
    await writeFileAtomic(target, Buffer.from('old'));
    await writeFileAtomic(target, Buffer.from('new'));
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('reports success once the rename is done, even where the folder cannot be flushed (Windows)', async () => {
    const dir = scratchDir('kmip-atomic-');
    const target = path.join(dir, 'settings.json');
    await writeFileAtomic(target, Buffer.from('old'));
    failFolderOpen.on = true;
    await expect(writeFileAtomic(target, Buffer.from('new'))).resolves.toBeUndefined();
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });
});

describe('a temporary file that cannot be removed after a failed write', () => {
  it.each([
    ['probeWritable', (target: string) => probeWritable(target, 4096)],
    ['writeFileAtomic', (target: string) => writeFileAtomic(target, Buffer.from('new'))],
  ])('%s reports the write\'s error (ENOSPC), not the removal\'s (EIO)', async (_, write) => {
    const target = path.join(scratchDir('kmip-atomic-'), 'store.kcs');
    failTemp.write = true;
    failTemp.remove = true;
    await expect(write(target)).rejects.toMatchObject({ code: 'ENOSPC' });
  });

  it('probeWritable reports a removal that fails after a write that worked: the folder is not as writable as it looked', async () => {
    const dir = scratchDir('kmip-atomic-');
    failTemp.remove = true;
    await expect(probeWritable(path.join(dir, 'store.kcs'), 4096)).rejects.toMatchObject({ code: 'EIO' });
  });
});
