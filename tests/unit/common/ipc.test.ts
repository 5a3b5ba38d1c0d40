import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, ipcRequestSchemas } from '../../../common/ipc';
import { defaultSettings } from '../../../common/settings';
import { fieldRevision, settingsRevision } from '../../../main/settings';

describe('IPC request schemas', () => {
  it('cover the channels the UI calls', () => {
    expect(IPC_CHANNELS).toEqual(expect.arrayContaining([
      'settings:get', 'settings:saveField', 'settings:loadFile', 'settings:clearFile', 'settings:clearSecret',
      'settings:apply', 'settings:revert', 'settings:reset', 'eks:test', 'eks:cancelRun', 'eks:recover', 'recovery:chooseBackup', 'app:recoveryState',
      'store:list', 'store:add', 'store:generate', 'store:delete',
    ]));
  });

  it('accept well-formed requests', () => {
    expect(ipcRequestSchemas['settings:saveField'].safeParse({ id: 'port', value: '5696' }).success).toBe(true);
    expect(ipcRequestSchemas['settings:loadFile'].safeParse({ slot: 'clientCert', format: 'p12', password: 'pw' }).success).toBe(true);
    expect(ipcRequestSchemas['eks:test'].safeParse({ runId: 'r1', values: { port: 5696, verify: true }, password: { kind: 'stored' } }).success).toBe(true);
    expect(ipcRequestSchemas['eks:test'].safeParse({ runId: 'r1', values: {}, password: { kind: 'new', value: 'pw' } }).success).toBe(true);
    // Secrets with a lone surrogate have no UTF-8 form: refused rather than stored or sent as U+FFFD.
    expect(ipcRequestSchemas['store:add'].safeParse({ name: 'n', value: 'a\ud800b' }).success).toBe(false);
    expect(ipcRequestSchemas['store:add'].safeParse({ name: 'n', value: 'a😀b' }).success).toBe(true);
    expect(ipcRequestSchemas['settings:loadFile'].safeParse({ slot: 'clientCert', format: 'p12', password: '\udc00' }).success).toBe(false);
    expect(ipcRequestSchemas['eks:test'].safeParse({ runId: 'r1', values: {}, password: { kind: 'new', value: 'x\ud83d' } }).success).toBe(false);
    // The longest name the store takes (256 characters, here 512 UTF-16 units) passes the contract too.
    expect(ipcRequestSchemas['store:add'].safeParse({ name: '🔑'.repeat(256), value: 'v' }).success).toBe(true);
    expect(ipcRequestSchemas['store:generate'].safeParse({ name: 'n'.repeat(256), algorithm: 'AES', sizeBits: 256 }).success).toBe(true);
  });

  it('refuse unknown fields, channels of the wrong shape and smuggled paths', () => {
    expect(ipcRequestSchemas['settings:saveField'].safeParse({ id: 'nope', value: 1 }).success).toBe(false);
    expect(ipcRequestSchemas['settings:saveField'].safeParse({ id: 'port', value: { a: 1 } }).success).toBe(false);
    // The renderer never names a file path: main opens the picker.
    expect(ipcRequestSchemas['settings:loadFile'].safeParse({ slot: 'clientCert', format: 'pem', path: '/etc/shadow' }).success).toBe(false);
    expect(ipcRequestSchemas['settings:loadFile'].safeParse({ slot: 'other', format: 'pem' }).success).toBe(false);
    expect(ipcRequestSchemas['settings:clearSecret'].safeParse({ id: 'clientCertPassword' }).success).toBe(true);
    expect(ipcRequestSchemas['settings:clearSecret'].safeParse({ id: 'localUnlock' }).success).toBe(false);
    expect(ipcRequestSchemas['eks:test'].safeParse({ runId: 'r', values: { password: 'x' }, password: { kind: 'none' } }).success).toBe(false);
    expect(ipcRequestSchemas['eks:test'].safeParse({ runId: 'r', values: {}, password: { kind: 'new', value: '' } }).success).toBe(false);
    expect(ipcRequestSchemas['settings:get'].safeParse({ extra: 1 }).success).toBe(false);
  });

  it('refuse extra keys inside the Test password, as in every other request object', () => {
    for (const password of [{ kind: 'new', value: 'a', x: 1 }, { kind: 'stored', value: 'a' }, { kind: 'none', extra: true }]) {
      expect(ipcRequestSchemas['eks:test'].safeParse({ runId: 'r', values: {}, password }).success, JSON.stringify(password)).toBe(false);
    }
  });
});

describe('revisions in IPC requests', () => {
  const settings = defaultSettings();
  const shown = settingsRevision(settings, null);
  const field = fieldRevision(settings, 'description');

  it('accept exactly what main sends: its settings and field revisions', () => {
    expect(shown).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(ipcRequestSchemas['settings:revert'].safeParse({ settingsRevision: shown }).success).toBe(true);
    expect(ipcRequestSchemas['settings:apply'].safeParse({ runId: 'r1', settingsRevision: shown }).success).toBe(true);
    expect(ipcRequestSchemas['eks:recover'].safeParse({ runId: 'r1', source: 'store', settingsRevision: shown }).success).toBe(true);
    expect(ipcRequestSchemas['settings:saveField'].safeParse({ id: 'description', value: 'x', basedOn: field }).success).toBe(true);
    expect(ipcRequestSchemas['settings:clearFile'].safeParse({ slot: 'caCert', basedOn: fieldRevision(settings, 'caCert') }).success).toBe(true);
  });

  it('refuse anything else: other lengths, other characters, nothing', () => {
    for (const revision of ['', shown.slice(1), `${shown}A`, `${shown.slice(1)}+`, `${shown.slice(1)}/`, `${shown.slice(1)}=`, ` ${shown.slice(1)}`, 'x'.repeat(64)]) {
      expect(ipcRequestSchemas['settings:reset'].safeParse({ settingsRevision: revision }).success).toBe(false);
      expect(ipcRequestSchemas['settings:saveField'].safeParse({ id: 'description', value: 'x', basedOn: revision }).success).toBe(false);
    }
    expect(ipcRequestSchemas['settings:reset'].safeParse({}).success).toBe(false);
    expect(ipcRequestSchemas['settings:saveField'].safeParse({ id: 'description', value: 'x' }).success).toBe(true);
  });
});
