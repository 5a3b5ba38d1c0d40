// A save, Load File or Clear of one field from a window that showed the field with another value than the
// one saved now (explore report s18-x4, F3): another window saved "from A", this one, still showing the old
// value, saves "from B", or clears a CA file it never showed. Main refuses it (FIELD_CHANGED, naming the
// field and what it holds now), and persists nothing. A kmip-console command sends no revision: the last
// save wins there, as before. Two windows are two sets of the real handlers over one data folder.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcResult, SettingsView } from '../../../common/ipc';
import type { FieldId } from '../../../common/settings';
import type { CliIo } from '../../../main/cli/command';
import type { CliContext } from '../../../main/cli/context';
import { ExitCode } from '../../../main/cli/exit-codes';
import { SettingsRepository } from '../../../main/settings';
import { runInMemory } from '../../support/cli-in-memory';
import { scratchDir } from '../../support/scratch-dirs';
import { generatePki, KEY_PASSWORD, type TestPki } from '../../support/transport-fixtures';
import { MemorySecretStore } from '../settings/memory-secret-store';
import { MemoryUnlockKeys } from '../store/memory-unlock-keys';
import { windowIpc, type WindowIpc } from './window-ipc';

let pki: TestPki;
let dataDir: string;
let files: Record<'ca' | 'bundle' | 'key' | 'chain' | 'serverKey' | 'clientKey', string>;
let secrets: MemorySecretStore;
let cli: SettingsRepository;
/** the file each window's picker answers with next */
const picked: { a: string | null; b: string | null } = { a: null, b: null };
let pickerOpened: { a: number; b: number };
let windowA: WindowIpc;
let windowB: WindowIpc;

// `kmip-console settings` over this test's data folder, with secrets in memory (the real context uses the keychain).
vi.mock('../../../main/cli/context', async (importActual) => ({
  ...(await importActual<typeof import('../../../main/cli/context')>()),
  createContext: async (io: CliIo, parsed: { json: boolean }): Promise<Partial<CliContext>> => ({
    io,
    json: parsed.json,
    dataDir,
    settings: new SettingsRepository({ dataDir, secrets }), // as main/cli/context.ts makes it
    unlockKeys: new MemoryUnlockKeys(),
  }),
}));
const { settingsCommand } = await import('../../../main/cli/commands/settings');

beforeAll(() => {
  pki = generatePki();
  const dir = scratchDir('kmip-field-changed-files-');
  files = {
    ca: path.join(dir, 'ca.pem'),
    bundle: path.join(dir, 'ca-bundle.pem'),
    key: path.join(dir, 'client-encrypted.key'),
    chain: path.join(dir, 'chain.pem'),
    serverKey: path.join(dir, 'server.key'),
    clientKey: path.join(dir, 'client.key'),
  };
  writeFileSync(files.ca, pki.ca);
  writeFileSync(files.bundle, Buffer.concat([pki.ca, pki.otherCert]));
  writeFileSync(files.key, pki.clientKeyEncrypted);
  // Two end-entity certificates in one Cert file: the key loaded under Key chooses which one TLS presents.
  writeFileSync(files.chain, Buffer.concat([pki.serverCert, pki.clientCert]));
  writeFileSync(files.serverKey, pki.serverKey);
  writeFileSync(files.clientKey, pki.clientKey);
}, 60_000);

beforeEach(async () => {
  dataDir = scratchDir('kmip-field-changed-');
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
        message: 'Description was changed outside this window (in another window or by a kmip-console command): it now reads "from A". Your value was not saved; save again to replace it.',
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
    expect(emptied).toMatchObject({ ok: false, error: { message: expect.stringContaining('Description was changed outside this window (in another window or by a kmip-console command): it is now empty.') } });
    const switched = await windowB('settings:saveField', { id: 'verify', value: true, basedOn: verify });
    expect(switched).toMatchObject({ ok: false, error: { message: expect.stringContaining('Verify was changed outside this window (in another window or by a kmip-console command): it now reads "no".') } });
    const nbio = await shown(windowB, 'nbio');
    await cli.saveField('nbio', 1);
    const onOff = await windowB('settings:saveField', { id: 'nbio', value: 0, basedOn: nbio });
    expect(onOff).toMatchObject({ ok: false, error: { message: expect.stringContaining('Nbio was changed outside this window (in another window or by a kmip-console command): it now reads "1 — on".') } });
  });

  it('leaves a kmip-console command (no revision) the last writer, and still refuses a window that showed an older value', async () => {
    const basedOnB = await shown(windowB, 'description');
    valueOf(await windowA('settings:saveField', { id: 'description', value: 'from A', basedOn: await shown(windowA, 'description') }));
    const command = await runInMemory((io) => settingsCommand.run(['set', 'description', 'from the command line'], io));
    expect(command.code, command.stderr).toBe(ExitCode.Ok);
    expect((await cli.view()).pending.description).toBe('from the command line');
    const refused = await windowB('settings:saveField', { id: 'description', value: 'from B', basedOn: basedOnB });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FIELD_CHANGED', message: expect.stringContaining('it now reads "from the command line"') } });
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
        message: 'Password was changed outside this window (in another window or by a kmip-console command): a password was saved since this window showed it. Your password was not saved; save again to replace it.',
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
        message: expect.stringMatching(
          /^CA Trusted Cert was changed outside this window \(in another window or by a kmip-console command\): it now holds "ca-bundle\.pem" \(PEM, .*CN=.*, until \d{4}-\d\d-\d\d\)\. Nothing was cleared; clear again to remove it\.$/,
        ),
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
      error: { code: 'FIELD_CHANGED', field: 'caCert', message: expect.stringMatching(/it now holds "ca-bundle\.pem" \(PEM, [^)]*\)\. Your file was not loaded; load it again to replace it\.$/) },
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
        message:
          'Key was changed outside this window (in another window or by a kmip-console command): it now holds "client-encrypted.key" (PEM, ec key, password in keychain). ' +
          'Its password was not cleared; clear it again to remove it.',
      },
    });
    expect(await cli.view()).toEqual(before);
  });

  it("names the certificate a Key load elsewhere chose from the Cert file B shows, when B's Clear of Cert is refused", async () => {
    picked.a = files.chain;
    valueOf(await windowA('settings:loadFile', { slot: 'clientCert', format: 'pem' }));
    picked.a = files.serverKey;
    valueOf(await windowA('settings:loadFile', { slot: 'clientKey', format: 'pem' }));
    const basedOnB = await shown(windowB, 'clientCert'); // B shows chain.pem presenting the server's certificate
    picked.a = files.clientKey;
    valueOf(await windowA('settings:loadFile', { slot: 'clientKey', format: 'pem', basedOn: await shown(windowA, 'clientKey') }));
    const answer = await windowB('settings:clearFile', { slot: 'clientCert', basedOn: basedOnB });
    expect(answer).toMatchObject({
      ok: false,
      error: {
        code: 'FIELD_CHANGED',
        field: 'clientCert',
        message: expect.stringMatching(
          /^Cert was changed outside this window \(in another window or by a kmip-console command\): it now holds "chain\.pem" \(PEM, [^)]*CN=transport-client, until [\d-]+\), the one of its 2 end-entity certificates that matches the key loaded under Key\. Nothing was cleared; clear again to remove it\.$/,
        ),
      },
    });
    expect((await cli.view()).pending.clientCert?.details.sourceName).toBe('chain.pem');
  });

  it('clears a slot that was emptied elsewhere meanwhile without a word (nothing is lost)', async () => {
    picked.a = files.ca;
    valueOf(await windowA('settings:loadFile', { slot: 'caCert', format: 'pem' }));
    const basedOnB = await shown(windowB, 'caCert');
    await cli.clearFile('caCert');
    expect(await windowB('settings:clearFile', { slot: 'caCert', basedOn: basedOnB })).toMatchObject({ ok: true });
  });
});
