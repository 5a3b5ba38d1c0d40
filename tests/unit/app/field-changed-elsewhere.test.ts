// A save, Load File or Clear of one field from a window that showed the field with another value than the
// one saved now (explore report s18-x4, F3): another window saved "from A", this one, still showing the old
// value, saves "from B", or clears a CA file it never showed. Main refuses it (FIELD_CHANGED, naming the
// field and what it holds now), and persists nothing. A kmip-console command sends no revision: the last
// save wins there, as before. Two windows are two sets of the real handlers over one data folder.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IpcResult, SettingsView } from '../../../common/ipc';
import type { FieldId } from '../../../common/settings';
import { SettingsRepository } from '../../../main/settings';
import { scratchDir } from '../../support/scratch-dirs';
import { generatePki, KEY_PASSWORD, type TestPki } from '../../support/transport-fixtures';
import { MemorySecretStore } from '../settings/memory-secret-store';
import { windowIpc, type WindowIpc } from './window-ipc';

let pki: TestPki;
let files: Record<'ca' | 'bundle' | 'key', string>;
let secrets: MemorySecretStore;
let cli: SettingsRepository;
/** the file each window's picker answers with next */
const picked: { a: string | null; b: string | null } = { a: null, b: null };
let pickerOpened: { a: number; b: number };
let windowA: WindowIpc;
let windowB: WindowIpc;

beforeAll(() => {
  pki = generatePki();
  const dir = scratchDir('kmip-field-changed-files-');
  files = { ca: path.join(dir, 'ca.pem'), bundle: path.join(dir, 'ca-bundle.pem'), key: path.join(dir, 'client-encrypted.key') };
  writeFileSync(files.ca, pki.ca);
  writeFileSync(files.bundle, Buffer.concat([pki.ca, pki.otherCert]));
  writeFileSync(files.key, pki.clientKeyEncrypted);
}, 60_000);

beforeEach(async () => {
  const dataDir = scratchDir('kmip-field-changed-');
  secrets = new MemorySecretStore();
  cli = new SettingsRepository({ dataDir, secrets });
  await cli.saveField('serverName', 'lab');
  await cli.saveField('hostName', '127.0.0.1');
  pickerOpened = { a: 0, b: 0 };
  const window = (name: 'a' | 'b'): WindowIpc =>
    windowIpc(dataDir, secrets, {
      settings: new SettingsRepository({ dataDir, secrets }),
      pickFile: async () => {
        pickerOpened[name] += 1;
        return picked[name];
      },
    });
  windowA = window('a');
  windowB = window('b');
});

function valueOf<T>(result: IpcResult<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** What a window shows after reading the settings: the revision of `field` it sends with a change of it. */
async function shown(ipc: WindowIpc, field: FieldId): Promise<string> {
  return valueOf<SettingsView>(await ipc('settings:get', {})).fieldRevisions[field];
}

describe('a scalar field', () => {
  it("refuses B's save of Description that A changed since B showed it, names the value saved now, and saves nothing", async () => {
    const basedOnA = await shown(windowA, 'description');
    const basedOnB = await shown(windowB, 'description');
    expect(await windowA('settings:saveField', { id: 'description', value: 'from A', basedOn: basedOnA })).toMatchObject({ ok: true });
    const before = await cli.view();
    const answer = await windowB('settings:saveField', { id: 'description', value: 'from B', basedOn: basedOnB });
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'FIELD_CHANGED',
        field: 'description',
        message: 'Description was changed in another window or by the command line: it now reads "from A". Your value was not saved; save again to replace it.',
      },
    });
    expect(await cli.view()).toEqual(before);
  });

  it('saves once the window shows the value saved now (the operator saves again)', async () => {
    const basedOnB = await shown(windowB, 'description');
    await cli.saveField('description', 'from the command line');
    expect(await windowB('settings:saveField', { id: 'description', value: 'from B', basedOn: basedOnB })).toMatchObject({ ok: false });
    expect(await windowB('settings:saveField', { id: 'description', value: 'from B', basedOn: await shown(windowB, 'description') })).toMatchObject({ ok: true });
    expect((await cli.view()).pending.description).toBe('from B');
  });

  it('saves a value equal to the one saved now (nothing would be replaced), and a field that did not change', async () => {
    const description = await shown(windowB, 'description');
    const timeout = await shown(windowB, 'timeout');
    await cli.saveField('description', 'same');
    expect(await windowB('settings:saveField', { id: 'description', value: 'same', basedOn: description })).toMatchObject({ ok: true });
    expect(await windowB('settings:saveField', { id: 'timeout', value: 20, basedOn: timeout })).toMatchObject({ ok: true });
    expect((await cli.view()).pending.timeout).toBe(20);
  });

  it('names an empty value and a switch as a person reads them', async () => {
    await cli.saveField('description', 'old');
    const description = await shown(windowB, 'description');
    const verify = await shown(windowB, 'verify');
    await cli.saveField('description', '');
    await cli.saveField('verify', false);
    const emptied = await windowB('settings:saveField', { id: 'description', value: 'from B', basedOn: description });
    expect(emptied).toMatchObject({ ok: false, error: { message: expect.stringContaining('Description was changed in another window or by the command line: it is now empty.') } });
    const switched = await windowB('settings:saveField', { id: 'verify', value: true, basedOn: verify });
    expect(switched).toMatchObject({ ok: false, error: { message: expect.stringContaining('Verify was changed in another window or by the command line: it now reads "no".') } });
  });

  it('leaves a kmip-console command (no revision) the last writer', async () => {
    await shown(windowB, 'description');
    await windowA('settings:saveField', { id: 'description', value: 'from A', basedOn: await shown(windowA, 'description') });
    await cli.saveField('description', 'from the command line');
    expect((await cli.view()).pending.description).toBe('from the command line');
  });
});

describe('the KMIP password', () => {
  it("refuses B's save and Clear of a password A stored since, without naming or changing it", async () => {
    const basedOnB = await shown(windowB, 'password');
    await windowA('settings:saveField', { id: 'password', value: 'SECRET-OF-A-1', basedOn: await shown(windowA, 'password') });
    const before = await cli.view();
    const saved = await windowB('settings:saveField', { id: 'password', value: 'SECRET-OF-B-2', basedOn: basedOnB });
    expect(saved).toMatchObject({
      ok: false,
      error: {
        code: 'FIELD_CHANGED',
        field: 'password',
        message: 'Password was changed in another window or by the command line: another password is stored now. Your password was not saved; save again to replace it.',
      },
    });
    expect(JSON.stringify(saved)).not.toMatch(/SECRET-OF/);
    const cleared = await windowB('settings:clearSecret', { id: 'password', basedOn: basedOnB });
    expect(cleared).toMatchObject({ ok: false, error: { code: 'FIELD_CHANGED', field: 'password', message: expect.stringContaining('Nothing was cleared') } });
    expect(await cli.view()).toEqual(before);
    expect(await cli.resolveSecrets('pending')).toEqual({ password: 'SECRET-OF-A-1' });
  });
});

describe('a file slot', () => {
  it("refuses B's Clear of a CA file A replaced since B showed it, and keeps A's file", async () => {
    picked.a = files.ca;
    valueOf(await windowA('settings:loadFile', { slot: 'caCert', format: 'pem', basedOn: await shown(windowA, 'caCert') }));
    const basedOnB = await shown(windowB, 'caCert'); // B shows ca.pem
    picked.a = files.bundle;
    valueOf(await windowA('settings:loadFile', { slot: 'caCert', format: 'pem', basedOn: await shown(windowA, 'caCert') }));
    const before = await cli.view();
    const answer = await windowB('settings:clearFile', { slot: 'caCert', basedOn: basedOnB });
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'FIELD_CHANGED',
        field: 'caCert',
        message: 'CA Trusted Cert was changed in another window or by the command line: it now holds "ca-bundle.pem". Nothing was cleared; clear again to remove it.',
      },
    });
    expect(await cli.view()).toEqual(before);
  });

  it("refuses B's Load File into a slot A changed since, before B's file picker opens", async () => {
    const basedOnB = await shown(windowB, 'caCert'); // B shows the slot empty
    picked.a = files.bundle;
    valueOf(await windowA('settings:loadFile', { slot: 'caCert', format: 'pem', basedOn: await shown(windowA, 'caCert') }));
    const before = await cli.view();
    picked.b = files.ca;
    const answer = await windowB('settings:loadFile', { slot: 'caCert', format: 'pem', basedOn: basedOnB });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'FIELD_CHANGED', field: 'caCert', message: expect.stringMatching(/it now holds "ca-bundle.pem"\. Your file was not loaded; load it again to replace it\.$/) },
    });
    expect(pickerOpened.b).toBe(0);
    expect(await cli.view()).toEqual(before);
  });

  it('refuses a Load File when the slot changed while the picker was open', async () => {
    const basedOnB = await shown(windowB, 'caCert');
    picked.b = files.ca;
    const repository = new SettingsRepository({ dataDir: (await cli.view()).dataDir, secrets });
    // The other change lands while B's operator chooses the file.
    const slow = windowIpc((await cli.view()).dataDir, secrets, {
      settings: repository,
      pickFile: async () => {
        picked.a = files.bundle;
        valueOf(await windowA('settings:loadFile', { slot: 'caCert', format: 'pem' }));
        return files.ca;
      },
    });
    const answer = await slow('settings:loadFile', { slot: 'caCert', format: 'pem', basedOn: basedOnB });
    expect(answer).toMatchObject({ ok: false, error: { code: 'FIELD_CHANGED', field: 'caCert' } });
    expect((await cli.view()).pending.caCert?.details.sourceName).toBe('ca-bundle.pem');
    picked.b = null;
  });

  it("refuses B's Clear of a file's password when the file was loaded again since", async () => {
    picked.a = files.key;
    valueOf(await windowA('settings:loadFile', { slot: 'clientKey', format: 'pem', password: KEY_PASSWORD }));
    const basedOnB = await shown(windowB, 'clientKey');
    valueOf(await windowA('settings:loadFile', { slot: 'clientKey', format: 'pem', password: KEY_PASSWORD, basedOn: await shown(windowA, 'clientKey') }));
    const before = await cli.view();
    const answer = await windowB('settings:clearSecret', { id: 'clientKeyPassword', basedOn: basedOnB });
    expect(answer).toMatchObject({
      ok: false,
      error: {
        code: 'FIELD_CHANGED',
        field: 'clientKey',
        message: 'Key was changed in another window or by the command line: it now holds "client-encrypted.key" with a stored password. Its password was not cleared; clear it again to remove it.',
      },
    });
    expect(await cli.view()).toEqual(before);
  });

  it('clears a slot that was emptied elsewhere meanwhile without a word (nothing is lost)', async () => {
    picked.a = files.ca;
    valueOf(await windowA('settings:loadFile', { slot: 'caCert', format: 'pem' }));
    const basedOnB = await shown(windowB, 'caCert');
    await cli.clearFile('caCert');
    expect(await windowB('settings:clearFile', { slot: 'caCert', basedOn: basedOnB })).toMatchObject({ ok: true });
  });
});
