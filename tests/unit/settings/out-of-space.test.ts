// A full disk (ENOSPC) or a used-up quota (EDQUOT) while the settings are written: the message says
// so, instead of sending the person to check the folder and its permissions. The file system fails
// on purpose here: a chosen file is created, then its first write fails, as on a full disk.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeUserFile } from '../../../main/files';
import { SettingsRepository, settingsFilePath } from '../../../main/settings';
import { scratchDir } from '../../support/scratch-dirs';
import { pkiPath, testPkiDir } from '../pki/test-pki';
import { MemorySecretStore } from './memory-secret-store';

let full: { code: 'ENOSPC' | 'EDQUOT'; file: RegExp } | null = null;

vi.mock('node:fs/promises', async (importActual) => {
  const actual = await importActual<typeof import('node:fs/promises')>();
  const failingWrite = (code: string) => async () => {
    throw Object.assign(new Error(`${code}: no space left on device, write`), { code, syscall: 'write' });
  };
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args);
      const failure = full;
      if (!failure || !failure.file.test(String(args[0]))) return handle;
      return new Proxy(handle, {
        get(target, property) {
          if (property === 'writeFile' || property === 'write') return failingWrite(failure.code);
          const value: unknown = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
});

let dataDir: string;
let repo: SettingsRepository;

beforeAll(() => {
  testPkiDir();
}, 120_000);

beforeEach(async () => {
  full = null;
  dataDir = scratchDir('kmip-settings-full-');
  repo = new SettingsRepository({ dataDir, secrets: new MemorySecretStore(), profile: 'full' });
  await repo.saveField('serverName', 'before');
});

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => {
      throw new Error('expected the write to fail');
    },
    (error: { code: string; message: string }) => error,
  );
}

describe.each(['ENOSPC', 'EDQUOT'] as const)('settings on a full disk (%s)', (code) => {
  it('says the disk is full when the lock file cannot be written', async () => {
    full = { code, file: /settings\.lock$/ };
    const error = await failure(repo.saveField('serverName', 'after'));
    expect(error.code).toBe('SETTINGS_WRITE_FAILED');
    expect(error.message).toMatch(/the disk is full \(or the quota used up\)\. Free space on that disk/);
    expect(error.message).not.toMatch(/exists and is writable/);
  });

  it('says the disk is full when settings.json cannot be written, and keeps the old file', async () => {
    full = { code, file: /\.settings\.json\.[^/]*\.tmp$/ };
    const error = await failure(repo.saveField('serverName', 'after'));
    expect(error).toMatchObject({ code: 'SETTINGS_WRITE_FAILED', message: expect.stringContaining(`written to ${settingsFilePath(dataDir)} (${code}): the disk is full`) });
    full = null;
    expect((await repo.loadPending()).serverName).toBe('before');
  });

  it('says the disk is full when the copy of a loaded file cannot be written, and records no copy', async () => {
    full = { code, file: /[/\\]files[/\\]/ };
    const error = await failure(repo.loadFile({ slot: 'caCert', format: 'pem', path: pkiPath('ca.pem') }));
    expect(error).toMatchObject({ code: 'SETTINGS_WRITE_FAILED', message: expect.stringMatching(/copy of CA Trusted Cert .*the disk is full/) });
    full = null;
    expect((await repo.loadPending()).caCert).toBeNull();
  });

  it('says the same for a file a person named (the shared wording)', async () => {
    const target = path.join(scratchDir('kmip-export-full-'), 'export.json');
    full = { code, file: /export\.json\.[^/]*\.tmp$/ };
    const error = await failure(writeUserFile(target, Buffer.from('{}'), 'settings export'));
    // Not FILE_UNWRITABLE (a path that cannot take a file): the path is fine, the file could not be written.
    expect(error).toMatchObject({ code: 'FILE_NOT_WRITTEN', message: expect.stringContaining('the disk is full (or the quota used up)') });
    expect(existsSync(target)).toBe(false);
  });
});
