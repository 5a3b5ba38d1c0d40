import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scratchDir } from '../../support/scratch-dirs';

// Opening a folder fails, as it does on Windows (EISDIR): only the folder flush after the rename opens one.
const failFolderOpen = vi.hoisted(() => ({ on: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (file, flags, mode) => {
    if (failFolderOpen.on && flags === 'r' && !String(file).endsWith('.tmp')) {
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${String(file)}'`), { code: 'EISDIR' });
    }
    return actual.open(file, flags, mode);
  };
  return { ...actual, open };
});

const { writeFileAtomic } = await import('../../../main/store/atomic-file');

afterEach(() => {
  failFolderOpen.on = false;
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
